#pragma once
// What `logad score` tells the outside world while it runs: Prometheus metrics (an HTTP
// listener and/or a textfile for node_exporter) and alerts (Slack-compatible webhook,
// Alertmanager). The scorer calls a ScoreObserver; Monitor is the one that does all of the above.
//
// Metrics (all prefixed logad_):
//   lines_total, events_total                  counters
//   anomalies_total{per,detector}              counter: anomaly records
//   incidents_total{kind}                      counter: incidents opened (pipeline/incidents.hpp)
//   incidents_open                             gauge: incidents open now
//   parse_failures_total{reason}               counter: unparsed (no format matched), truncated
//   session_keys_dropped_total                 counter: keys beyond the per-line cap (64), not followed
//   clock_jumps_total                          counter: records whose time jumped beyond the clock
//                                              horizon, placed at the stream's time
//   templates                                  gauge: templates known (the model's and new ones)
//   score{per}                                 histogram of score / threshold of the rows written
//                                              (anomalies, or every row with --all); 1 = at the bar
//   last_event_timestamp_seconds, lag_seconds  gauges: event time of the latest event, and the
//                                              wall clock minus it (processing lag)
//   metrics_file_failures_total                counter: --metrics-file writes that failed (disk
//                                              full, no descriptors...); scoring goes on
//   build_info{version}                        gauge, 1
//   alerts_*                                   see alert_dispatcher.hpp
#include <logad/export.hpp>
#include <logad/ops/alert_dispatcher.hpp>
#include <logad/ops/metrics.hpp>
#include <logad/ops/metrics_server.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_progress.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <memory>
#include <string>
#include <vector>

namespace logad::ops {

using pipeline::ScoreProgress;  // lines, events, parse failures so far (score_progress.hpp)

// Called on the scoring thread only.
class ScoreObserver {
public:
    virtual ~ScoreObserver() = default;
    virtual void on_record(const pipeline::ScoreRecord& record) = 0;  // every record written
    virtual void on_incident(const pipeline::Incident& incident) = 0;  // when it opens and when it closes
    virtual void on_progress(const ScoreProgress& progress) = 0;      // often: ~1 s, every few thousand lines
    virtual void finish(const ScoreProgress& progress) = 0;           // end of input
};

// Passes records on to `next`, then shows them to the observer (if any). Does not steal.
// Alerts follow incidents: an incident's opening raises one alert, its closing resolves it.
class ObservedSink final : public Sink<pipeline::ScoreRecord> {
public:
    ObservedSink(Sink<pipeline::ScoreRecord>& next, ScoreObserver* observer) : m_next(next), m_observer(observer) {}
    void push(pipeline::ScoreRecord& r) override {
        m_next.push(r);
        if (m_observer) m_observer->on_record(r);
    }
    void finish() override { m_next.finish(); }

private:
    Sink<pipeline::ScoreRecord>& m_next;
    ScoreObserver* m_observer;
};

struct MonitorOptions {
    std::string metrics_listen;  // HOST:PORT, empty = none
    std::string metrics_file;    // path, empty = none
    std::int64_t metrics_file_interval_ms = 5000;
    std::vector<AlertOptions> alerts;  // one per destination
    std::size_t model_templates = 0;   // templates in the model, for logad_templates
    bool enabled() const { return !metrics_listen.empty() || !metrics_file.empty() || !alerts.empty(); }
};

// The metrics file is written by a thread of its own every metrics_file_interval_ms (and once
// more at the end), so a slow or failing disk never holds up scoring: a failed write is counted
// and reported as a warning (at most one a minute), and the next interval tries again. Only the
// first write, in the constructor, throws, so a path that can never work fails at the start.
class LOGAD_API Monitor final : public ScoreObserver {
public:
    // Starts the listener, metrics-file and alert threads; throws UsageError on a bad address or
    // URL, OutputError when the metrics file cannot be written at all.
    explicit Monitor(MonitorOptions options);
    ~Monitor() override;

    void on_record(const pipeline::ScoreRecord& record) override;
    void on_incident(const pipeline::Incident& incident) override;
    void on_progress(const ScoreProgress& progress) override;
    void finish(const ScoreProgress& progress) override;

    Registry& registry() noexcept { return m_registry; }
    int metrics_port() const noexcept { return m_server ? m_server->port() : 0; }
    // Problems met by the background threads (secrets redacted), for the caller to print.
    std::vector<std::string> take_warnings();
    // One line per alert destination: what was sent, deduplicated, dropped.
    std::vector<std::string> summary() const;

private:
    void write_file();       // throws OutputError
    void try_write_file();   // counts and reports a failure instead
    void file_loop();

    MonitorOptions m_o;
    Registry m_registry;
    Counter& m_lines;
    Counter& m_events;
    Counter& m_unparsed;
    Counter& m_truncated;
    Counter& m_dropped_keys;
    Counter& m_clock_jumps;
    Gauge& m_templates;
    Gauge& m_incidents_open;
    std::atomic<std::int64_t> m_last_event_ms{k_no_time};
    std::vector<std::uint32_t> m_new_templates;  // ids of templates seen beyond the model's
    std::vector<std::unique_ptr<AlertDispatcher>> m_alerts;
    std::unique_ptr<MetricsServer> m_server;
    Counter& m_file_failures;
    std::mutex m_file_mu;  // guards the fields below and serialises writes of the file
    std::condition_variable m_file_cv;
    bool m_file_stop = false;
    std::vector<std::string> m_file_warnings;
    std::chrono::steady_clock::time_point m_file_warned{};
    std::uint64_t m_file_unreported = 0;
    std::thread m_file_thread;
    bool m_finished = false;
};

}  // namespace logad::ops
