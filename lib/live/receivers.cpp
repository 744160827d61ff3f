#include <logad/live/receivers.hpp>

#include <logad/receive/line_queue.hpp>
#include <logad/receive/otlp_receiver.hpp>
#include <logad/receive/syslog_receiver.hpp>

#include <algorithm>
#include <mutex>

namespace logad::live {

struct Receivers::State {
    explicit State(receive::QueueLimits limits) : queue(limits) {}
    receive::LineQueue queue;
    mutable std::mutex mu;  // guards receivers and final against the metrics thread
    std::vector<std::unique_ptr<receive::Receiver>> receivers;
    std::vector<std::string> names;
    std::vector<receive::ReceiverStats> final;  // after stop()
    std::string name;
    std::uint64_t unread = 0;  // received after the reader stopped: never read

    receive::ReceiverStats stats(std::size_t i) const {
        std::lock_guard lock(mu);
        return i < receivers.size() && receivers[i] ? receivers[i]->stats() : i < final.size() ? final[i] : receive::ReceiverStats{};
    }
};

Receivers::Receivers(const ReceiverSettings& settings) : m_token_required(!settings.otlp_token.empty()) {
    receive::QueueLimits limits;
    limits.max_messages = settings.queue;
    limits.max_bytes = std::max<std::size_t>(limits.max_bytes, settings.max_message * 4);
    m_state = std::make_shared<State>(limits);
    State& s = *m_state;
    for (const std::string& text : settings.syslog) {
        receive::SyslogSettings syslog;
        syslog.endpoint = receive::parse_endpoint(text, "--listen-syslog", "tcp,udp");
        syslog.max_message = settings.max_message;
        s.receivers.push_back(std::make_unique<receive::SyslogReceiver>(syslog, s.queue));
        s.names.push_back("syslog " + s.receivers.back()->endpoint().text());
    }
    for (const std::string& text : settings.otlp) {
        receive::OtlpSettings otlp;
        otlp.endpoint = receive::parse_endpoint(text, "--listen-otlp", "http");
        otlp.bearer_token = settings.otlp_token;
        s.receivers.push_back(std::make_unique<receive::OtlpReceiver>(otlp, s.queue));
        s.names.push_back("otlp " + s.receivers.back()->endpoint().text() + "/v1/logs");
    }
    for (const std::string& n : s.names) s.name += (s.name.empty() ? "" : ", ") + n;
}

Receivers::~Receivers() { stop(); }

std::unique_ptr<io::ByteSource> Receivers::source() { return receive::queue_source(m_state->queue, m_state->name); }

const std::string& Receivers::name() const { return m_state->name; }

const std::vector<std::string>& Receivers::names() const { return m_state->names; }

receive::ReceiverStats Receivers::stats(std::size_t i) const { return m_state->stats(i); }

std::uint64_t Receivers::unread() const { return m_state->unread; }

void Receivers::add_metrics(ops::Registry& registry) {
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

void Receivers::stop() {
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

std::uint64_t Receivers::dropped() const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < m_state->names.size(); ++i) n += m_state->stats(i).dropped;
    return n;
}

}  // namespace logad::live
