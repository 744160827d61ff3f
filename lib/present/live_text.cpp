#include <logad/present/live_text.hpp>

#include <logad/ops/url.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <ostream>

namespace logad::present {

PrintedMonitor::PrintedMonitor(ops::MonitorOptions options, bool quiet, std::ostream& err)
    : m_monitor(std::move(options)), m_quiet(quiet), m_err(err) {}

void PrintedMonitor::on_progress(const ops::ScoreProgress& p) {
    m_monitor.on_progress(p);
    print_warnings();
}

void PrintedMonitor::finish(const ops::ScoreProgress& p) {
    m_monitor.finish(p);
    print_warnings();
    if (!m_quiet)
        for (const std::string& line : m_monitor.summary()) fmt::print(m_err, "logad score: {}\n", line);
}

void PrintedMonitor::print_warnings() {
    for (const std::string& w : m_monitor.take_warnings()) fmt::print(m_err, "logad score: warning: {}\n", w);
}

std::unique_ptr<PrintedMonitor> start_monitor(const ops::MonitorSettings& settings, const pipeline::PipelineModel& model,
                                              bool quiet, std::ostream& err) {
    if (!settings.enabled()) return nullptr;
    auto m = std::make_unique<PrintedMonitor>(ops::monitor_options(settings, model), quiet, err);
    if (!quiet && m->monitor().metrics_port() > 0) {
        const std::string h = ops::parse_listen_address(settings.metrics_listen, "--metrics-listen").host;
        fmt::print(err, "logad score: metrics at http://{}:{}/metrics\n", h.find(':') != std::string::npos ? "[" + h + "]" : h,
                   m->monitor().metrics_port());
    }
    return m;
}

void print_receiving(const live::Receivers& receivers, const std::string& command, std::ostream& err) {
    for (const std::string& n : receivers.names())
        fmt::print(err, "logad {}: receiving {}{}\n", command, n,
                   n.rfind("otlp", 0) == 0 && receivers.token_required() ? " (bearer token required)" : "");
    err.flush();
}

void print_receiver_summary(const live::Receivers& receivers, const std::string& command, std::ostream& err) {
    for (std::size_t i = 0; i < receivers.names().size(); ++i) {
        const receive::ReceiverStats st = receivers.stats(i);
        std::string extra;
        if (st.dropped) extra += fmt::format(", {} dropped (queue full: raise --listen-queue)", st.dropped);
        if (st.rejected) extra += fmt::format(", {} rejected (broken framing or bad requests)", st.rejected);
        if (st.truncated) extra += fmt::format(", {} truncated", st.truncated);
        fmt::print(err, "logad {}: {}: {} messages{}\n", command, receivers.names()[i], st.messages, extra);
    }
    if (receivers.unread()) fmt::print(err, "logad {}: {} messages received after the stop were not read\n", command, receivers.unread());
}

kafka::LogFn kafka_log_printer(std::ostream& err) {
    // librdkafka's log lines arrive on the scoring thread, from inside fetch() and publish().
    return [&err](int, std::string_view facility, std::string_view text) {
        fmt::print(err, "logad score: kafka: {}: {}\n", facility, text);
        err.flush();
    };
}

void print_kafka_summary(const live::KafkaLink& link, std::ostream& err) {
    const kafka::ConsumerStats* st = link.consumer_stats();
    if (!st) return;
    const live::KafkaSettings& k = link.settings();
    fmt::print(err, "logad score: kafka: {} messages from topic {} (group {}), {} commits{}{}\n", st->messages, k.topic, k.group,
               st->commits, st->commit_errors ? fmt::format(", {} failed ({})", st->commit_errors, st->last_error) : "",
               k.publish.empty() ? "" : fmt::format(", {} anomalies published to {}", link.published(), k.publish));
}

}  // namespace logad::present
