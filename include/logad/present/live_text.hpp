#pragma once
// What a live `score` or `parse` says on stderr beside its results: where its receivers listen
// and what each took in, where metrics are served, the monitor's warnings as they come (secrets
// redacted) with its alert summary at the end, librdkafka's log lines, and the Kafka counts.
#include <logad/export.hpp>
#include <logad/kafka/client.hpp>
#include <logad/live/kafka_link.hpp>
#include <logad/live/receivers.hpp>
#include <logad/ops/monitor.hpp>
#include <logad/ops/monitor_settings.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <iosfwd>
#include <memory>
#include <string>

namespace logad::present {

// An ops::Monitor whose warnings go to `err` as they come, with its summary of the alerts at the
// end unless quiet.
class LOGAD_API PrintedMonitor final : public ops::ScoreObserver {
public:
    PrintedMonitor(ops::MonitorOptions options, bool quiet, std::ostream& err);
    ops::Monitor& monitor() { return m_monitor; }
    void on_record(const pipeline::ScoreRecord& r) override { m_monitor.on_record(r); }
    void on_incident(const pipeline::Incident& i) override { m_monitor.on_incident(i); }
    void on_progress(const ops::ScoreProgress& p) override;
    void finish(const ops::ScoreProgress& p) override;

private:
    void print_warnings();
    ops::Monitor m_monitor;
    bool m_quiet;
    std::ostream& m_err;
};

// Null when the settings ask for neither metrics nor alerts. Says where metrics are served
// unless quiet.
LOGAD_API std::unique_ptr<PrintedMonitor> start_monitor(const ops::MonitorSettings& settings,
                                                        const pipeline::PipelineModel& model, bool quiet,
                                                        std::ostream& err);

// "logad CMD: receiving syslog tcp://127.0.0.1:5514" for each receiver.
LOGAD_API void print_receiving(const live::Receivers& receivers, const std::string& command, std::ostream& err);
// After stop(): per receiver, what came, what was dropped or rejected, and what was still queued
// unread at the stop.
LOGAD_API void print_receiver_summary(const live::Receivers& receivers, const std::string& command, std::ostream& err);

// librdkafka's log lines as "logad score: kafka: FACILITY: TEXT".
LOGAD_API kafka::LogFn kafka_log_printer(std::ostream& err);
// Messages read from the input topic, commits, anomalies published; nothing without an input topic.
LOGAD_API void print_kafka_summary(const live::KafkaLink& link, std::ostream& err);

}  // namespace logad::present
