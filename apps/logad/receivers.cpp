#include "receivers.hpp"

#include <logad/error.hpp>
#include <logad/receive/line_queue.hpp>
#include <logad/receive/otlp_receiver.hpp>
#include <logad/receive/syslog_receiver.hpp>
#include <logad/util/secret_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <cstdlib>
#include <mutex>

namespace logad::cli {

struct ReceiverRun::State {
    explicit State(receive::QueueLimits limits) : queue(limits) {}
    receive::LineQueue queue;
    std::mutex mu;  // guards receivers and final against the metrics thread
    std::vector<std::unique_ptr<receive::Receiver>> receivers;
    std::vector<std::string> names;
    std::vector<receive::ReceiverStats> final;  // after stop()
    std::string name;
    std::uint64_t unread = 0;  // received after the reader stopped: never read

    receive::ReceiverStats stats(std::size_t i) {
        std::lock_guard lock(mu);
        return i < receivers.size() && receivers[i] ? receivers[i]->stats() : i < final.size() ? final[i] : receive::ReceiverStats{};
    }
};

void add_receiver_options(CLI::App& cmd, ReceiverFlags& f) {
    cmd.add_option("--listen-syslog", f.syslog,
                   "receive syslog instead of reading files: tcp://HOST:PORT (RFC 6587, octet counting or LF "
                   "framing) or udp://HOST:PORT; RFC 5424 and 3164; HOST left out (tcp://:5514) = 127.0.0.1 "
                   "(repeatable)");
    cmd.add_option("--listen-otlp", f.otlp,
                   "receive OpenTelemetry logs, OTLP/HTTP JSON: POST http://HOST:PORT/v1/logs (e.g. "
                   "http://127.0.0.1:4318); each record a JSON line (repeatable)");
    cmd.add_option("--otlp-token-file", f.otlp_token_file,
                   "--listen-otlp asks for 'Authorization: Bearer TOKEN', TOKEN the first line of this file "
                   "(default: $LOGAD_OTLP_TOKEN; neither = no token)");
    cmd.add_option("--listen-queue", f.queue,
                   "messages received but not yet read that are held; beyond, messages are dropped and counted")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), std::size_t(100000000)));
}

ReceiverRun::ReceiverRun(const ReceiverFlags& f, std::size_t max_message, const std::string& command, bool quiet,
                         std::ostream& err)
    : m_command(command) {
    receive::QueueLimits limits;
    limits.max_messages = f.queue;
    limits.max_bytes = std::max<std::size_t>(limits.max_bytes, max_message * 4);
    m_state = std::make_shared<State>(limits);
    std::string token;
    if (!f.otlp_token_file.empty()) {
        token = util::read_secret_file(f.otlp_token_file, "--otlp-token-file");
    } else if (const char* env = std::getenv("LOGAD_OTLP_TOKEN"); env && *env) {
        token = env;
    }
    if (!token.empty() && f.otlp.empty()) throw UsageError("--otlp-token-file (or LOGAD_OTLP_TOKEN) needs --listen-otlp");
    State& s = *m_state;
    for (const std::string& text : f.syslog) {
        receive::SyslogSettings settings;
        settings.endpoint = receive::parse_endpoint(text, "--listen-syslog", "tcp,udp");
        settings.max_message = max_message;
        s.receivers.push_back(std::make_unique<receive::SyslogReceiver>(settings, s.queue));
        s.names.push_back("syslog " + s.receivers.back()->endpoint().text());
    }
    for (const std::string& text : f.otlp) {
        receive::OtlpSettings settings;
        settings.endpoint = receive::parse_endpoint(text, "--listen-otlp", "http");
        settings.bearer_token = token;
        s.receivers.push_back(std::make_unique<receive::OtlpReceiver>(settings, s.queue));
        s.names.push_back("otlp " + s.receivers.back()->endpoint().text() + "/v1/logs");
    }
    for (const std::string& n : s.names) s.name += (s.name.empty() ? "" : ", ") + n;
    if (!quiet)
        for (const std::string& n : s.names)
            fmt::print(err, "logad {}: receiving {}{}\n", command, n,
                       n.rfind("otlp", 0) == 0 && !token.empty() ? " (bearer token required)" : "");
    err.flush();
}

ReceiverRun::~ReceiverRun() { stop(); }

std::unique_ptr<io::ByteSource> ReceiverRun::source() { return receive::queue_source(m_state->queue, m_state->name); }

const std::string& ReceiverRun::name() const { return m_state->name; }

void ReceiverRun::add_metrics(ops::Registry& registry) {
    using Field = std::uint64_t receive::ReceiverStats::*;
    const std::pair<const char*, std::pair<Field, const char*>> families[] = {
        {"logad_receiver_messages_total", {&receive::ReceiverStats::messages, "Messages (log records) received."}},
        {"logad_receiver_dropped_total", {&receive::ReceiverStats::dropped, "Messages dropped because the queue to the scorer was full (--listen-queue)."}},
        {"logad_receiver_rejected_total", {&receive::ReceiverStats::rejected, "Broken frames, connections out of step and refused requests."}},
        {"logad_receiver_truncated_total", {&receive::ReceiverStats::truncated, "Messages cut at the maximum line length."}},
    };
    for (std::size_t i = 0; i < m_state->names.size(); ++i)
        for (const auto& [metric, what] : families)
            registry.counter_fn(metric, what.second, {{"receiver", m_state->names[i]}},
                                [state = m_state, i, field = what.first] { return static_cast<double>(state->stats(i).*field); });
    registry.gauge_fn("logad_receiver_queue_length", "Messages received and waiting to be read.",
                      [state = m_state] { return static_cast<double>(state->queue.length()); });
}

void ReceiverRun::stop() {
    State& s = *m_state;
    if (s.receivers.empty()) return;
    for (auto& r : s.receivers) r->stop();  // joins the receiving threads: the counts are final
    {
        std::lock_guard lock(s.mu);
        for (auto& r : s.receivers) s.final.push_back(r->stats());
        s.receivers.clear();
    }
    s.queue.close();
    s.unread = s.queue.length() + s.queue.refused_after_close();
}

std::uint64_t ReceiverRun::dropped() const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < m_state->names.size(); ++i) n += m_state->stats(i).dropped;
    return n;
}

void ReceiverRun::print_summary(std::ostream& err) const {
    State& s = *m_state;
    for (std::size_t i = 0; i < s.names.size(); ++i) {
        const receive::ReceiverStats st = s.stats(i);
        std::string extra;
        if (st.dropped) extra += fmt::format(", {} dropped (queue full: raise --listen-queue)", st.dropped);
        if (st.rejected) extra += fmt::format(", {} rejected (broken framing or bad requests)", st.rejected);
        if (st.truncated) extra += fmt::format(", {} truncated", st.truncated);
        fmt::print(err, "logad {}: {}: {} messages{}\n", m_command, s.names[i], st.messages, extra);
    }
    if (s.unread) fmt::print(err, "logad {}: {} messages received after the stop were not read\n", m_command, s.unread);
}

}  // namespace logad::cli
