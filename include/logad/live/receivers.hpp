#pragma once
// Network receivers (lib/receive) as the input of a live `score` or `parse`: syslog over TCP or
// UDP and OpenTelemetry logs over OTLP/HTTP, bound from typed settings. Their messages meet in
// one bounded queue, read as the input's lines by the same reader and stages as a file, so every
// other setting works the same way; each receiver is counted for Prometheus (logad_receiver_*).
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/ops/metrics.hpp>
#include <logad/receive/receiver.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace logad::live {

struct ReceiverSettings {
    std::vector<std::string> syslog;  // tcp://HOST:PORT or udp://HOST:PORT
    std::vector<std::string> otlp;    // http://HOST:PORT
    std::string otlp_token;           // the bearer token OTLP senders must give; empty = none asked
    std::size_t queue = 100000;       // messages waiting for the reader; more are dropped
    std::size_t max_message = std::size_t(1) << 20;  // longer messages are cut (the reader's max line)
};

// The receivers the settings ask for, bound at construction (UsageError when an address cannot
// be), receiving until stop().
class LOGAD_API Receivers {
public:
    explicit Receivers(const ReceiverSettings& settings);
    ~Receivers();
    Receivers(const Receivers&) = delete;
    Receivers& operator=(const Receivers&) = delete;

    // The input: every receiver's messages, one per line, ending at SIGINT/SIGTERM.
    std::unique_ptr<io::ByteSource> source();
    // The input's name in messages: "syslog tcp://127.0.0.1:5514, otlp http://127.0.0.1:4318/v1/logs".
    const std::string& name() const;
    // One name per receiver, in the order of the settings (syslog first).
    const std::vector<std::string>& names() const;
    bool token_required() const { return m_token_required; }
    // What receiver `i` took in so far (final after stop()); safe from any thread.
    receive::ReceiverStats stats(std::size_t i) const;
    // logad_receiver_*{receiver=...} counters (messages, dropped, rejected, truncated) and the
    // queue's length.
    void add_metrics(ops::Registry& registry);
    // Stops receiving and closes the queue: the counts are final.
    void stop();
    // Messages still queued unread at stop(), or refused after it.
    std::uint64_t unread() const;
    std::uint64_t dropped() const;

private:
    struct State;
    std::shared_ptr<State> m_state;  // shared with the metrics callbacks, which may outlive this
    bool m_token_required = false;
};

}  // namespace logad::live
