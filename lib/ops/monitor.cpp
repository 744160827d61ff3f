#include <logad/util/civil_time.hpp>
#include <logad/ops/monitor.hpp>

#include <logad/pipeline/signal_kind.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/version.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace logad::ops {
namespace {

// score / threshold: one scale for every detector and signal, with 1 = the alerting bar.
const std::vector<double> k_score_buckets = {0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 5, 10};

}  // namespace

Monitor::Monitor(MonitorOptions options)
    : m_o(std::move(options)),
      m_lines(m_registry.counter("logad_lines_total", "Lines read from the input.")),
      m_events(m_registry.counter("logad_events_total", "Log events (records after multi-line folding) scored.")),
      m_unparsed(m_registry.counter("logad_parse_failures_total",
                                    "Lines that could not be parsed (unparsed: no format matched; truncated: longer "
                                    "than the maximum line length).",
                                    {{"reason", "unparsed"}})),
      m_truncated(m_registry.counter("logad_parse_failures_total", "", {{"reason", "truncated"}})),
      m_dropped_keys(m_registry.counter("logad_session_keys_dropped_total",
                                        "Session keys not followed because their line held more distinct keys than "
                                        "the per-line cap.")),
      m_clock_jumps(m_registry.counter("logad_clock_jumps_total",
                                       "Records whose time jumped beyond the clock horizon (a wrong clock); they were "
                                       "placed at the stream's time.")),
      m_templates(m_registry.gauge("logad_templates", "Log templates known: the model's and new ones seen while scoring.")),
      m_incidents_open(m_registry.gauge("logad_incidents_open", "Incidents open now (records within the incident gap).")),
      m_file_failures(m_registry.counter("logad_metrics_file_failures_total",
                                         "Writes of --metrics-file that failed (scoring went on; retried at the next interval).")) {
    m_registry.declare("logad_anomalies_total", "Anomalies found, by granularity and detector (or signal:<name>).", "counter");
    m_registry.declare("logad_incidents_total", "Incidents opened, by kind (the first record's detector or signal).",
                       "counter");
    m_registry.declare("logad_score",
                       "Score divided by its threshold, of each row written (anomalies, or every row with --all); "
                       "1 is the alerting bar.",
                       "histogram");
    m_registry.gauge_fn("logad_last_event_timestamp_seconds", "Event time of the latest event scored, Unix seconds.",
                        [this] {
                            const std::int64_t t = m_last_event_ms.load();
                            return t == k_no_time ? std::nan("") : static_cast<double>(t) / 1000.0;
                        });
    m_registry.gauge_fn("logad_lag_seconds", "Processing lag: the wall clock minus the event time of the latest event.",
                        [this] {
                            const std::int64_t t = m_last_event_ms.load();
                            return t == k_no_time ? std::nan("") : static_cast<double>(util::wall_clock_ms() - t) / 1000.0;
                        });
    m_registry.gauge("logad_build_info", "Always 1; the labels say which logad this is.", {{"version", k_version}}).set(1);
    m_templates.set(static_cast<double>(m_o.model_templates));
    for (const AlertOptions& a : m_o.alerts) m_alerts.push_back(std::make_unique<AlertDispatcher>(a, m_registry));
    if (!m_o.metrics_listen.empty())
        m_server = std::make_unique<MetricsServer>(parse_listen_address(m_o.metrics_listen, "--metrics-listen"),
                                                   [this] { return m_registry.render(); });
    if (!m_o.metrics_file.empty()) {
        write_file();  // a bad path fails now, not at the end of a long run
        m_file_thread = std::thread([this] { file_loop(); });
    }
}

Monitor::~Monitor() {
    for (auto& a : m_alerts) a->finish();
    {
        std::lock_guard lock(m_file_mu);
        m_file_stop = true;
    }
    m_file_cv.notify_all();
    if (m_file_thread.joinable()) m_file_thread.join();
}

void Monitor::on_record(const pipeline::ScoreRecord& r) {
    if (r.threshold > 0)
        m_registry.histogram("logad_score", "", k_score_buckets, {{"per", r.per}}).observe(r.score / r.threshold);
    if (!r.anomaly) return;
    m_registry.counter("logad_anomalies_total", "", {{"per", r.per}, {"detector", r.detector}}).add();
    if (pipeline::signal_of_detector(r.detector) == pipeline::SignalKind::new_template && r.template_id &&
        std::find(m_new_templates.begin(), m_new_templates.end(), r.template_id) == m_new_templates.end()) {
        if (m_new_templates.size() < 100000) m_new_templates.push_back(r.template_id);
        m_templates.set(static_cast<double>(m_o.model_templates + m_new_templates.size()));
    }
}

void Monitor::on_incident(const pipeline::Incident& i) {
    if (i.state == pipeline::Incident::State::open) {
        m_registry.counter("logad_incidents_total", "", {{"kind", i.kind}}).add();
        m_incidents_open.set(m_incidents_open.value() + 1);
    } else {
        m_incidents_open.set(std::max(0.0, m_incidents_open.value() - 1));
    }
    for (auto& a : m_alerts) a->offer(i);
}

void Monitor::on_progress(const ScoreProgress& p) {
    m_lines.raise_to(p.lines);
    m_events.raise_to(p.events);
    m_unparsed.raise_to(p.unparsed);
    m_truncated.raise_to(p.truncated);
    m_dropped_keys.raise_to(p.dropped_keys);
    m_clock_jumps.raise_to(p.clock_jumps);
    if (p.last_event_ms != k_no_time) m_last_event_ms.store(p.last_event_ms);
}

void Monitor::finish(const ScoreProgress& p) {
    if (m_finished) return;
    m_finished = true;
    on_progress(p);
    for (auto& a : m_alerts) a->finish();
    if (!m_o.metrics_file.empty()) try_write_file();  // with the final alert counts
}

void Monitor::write_file() {
    std::lock_guard lock(m_file_mu);
    util::write_file_atomically(m_o.metrics_file, m_registry.render(), 0644);
}

void Monitor::try_write_file() {
    try {
        write_file();
    } catch (const std::exception& e) {
        m_file_failures.add();
        std::lock_guard lock(m_file_mu);
        const auto now = std::chrono::steady_clock::now();
        if (m_file_warned != std::chrono::steady_clock::time_point{} && now - m_file_warned < std::chrono::minutes(1)) {
            ++m_file_unreported;
            return;
        }
        std::string w = fmt::format("metrics file: {}; scoring goes on", e.what());
        if (m_file_unreported) w += fmt::format(" ({} more failures in the last minute)", m_file_unreported);
        m_file_unreported = 0;
        m_file_warned = now;
        if (m_file_warnings.size() < 100) m_file_warnings.push_back(std::move(w));
    }
}

void Monitor::file_loop() {
    const auto interval = std::chrono::milliseconds(std::max<std::int64_t>(m_o.metrics_file_interval_ms, 10));
    std::unique_lock lock(m_file_mu);
    while (!m_file_cv.wait_for(lock, interval, [&] { return m_file_stop; })) {
        lock.unlock();
        try_write_file();
        lock.lock();
    }
}

std::vector<std::string> Monitor::take_warnings() {
    std::vector<std::string> out;
    {
        std::lock_guard lock(m_file_mu);
        for (std::string& w : m_file_warnings) out.push_back(std::move(w));
        m_file_warnings.clear();
    }
    for (auto& a : m_alerts)
        for (std::string& w : a->take_warnings()) out.push_back(std::move(w));
    return out;
}

std::vector<std::string> Monitor::summary() const {
    std::vector<std::string> out;
    for (const auto& a : m_alerts) {
        const AlertStats s = a->stats();
        out.push_back(fmt::format("alerts to {}: {} sent in {} requests, {} repeats within the cool-down, {} dropped "
                                  "(queue full {}, undeliverable {}), {} failed attempts",
                                  a->destination(), s.sent, s.posts, s.deduplicated, s.dropped_queue_full + s.dropped_failed,
                                  s.dropped_queue_full, s.dropped_failed, s.failed_attempts));
    }
    return out;
}

}  // namespace logad::ops
