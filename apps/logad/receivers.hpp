#pragma once
// `--listen-syslog` and `--listen-otlp` on `logad score` and `logad parse`: network receivers
// (lib/receive) in place of files. Their messages meet in one bounded queue, read as the input's
// lines by the same reader and stages as a file, so every other flag works the same way.
#include <logad/io/input.hpp>
#include <logad/ops/metrics.hpp>

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace logad::cli {

struct ReceiverFlags {
    std::vector<std::string> syslog;  // tcp://HOST:PORT or udp://HOST:PORT
    std::vector<std::string> otlp;    // http://HOST:PORT
    std::string otlp_token_file;      // bearer token, else $LOGAD_OTLP_TOKEN
    std::size_t queue = 100000;       // messages waiting for the reader; more are dropped
    bool used() const { return !syslog.empty() || !otlp.empty(); }
};
void add_receiver_options(CLI::App& cmd, ReceiverFlags& flags);

// The receivers a run asked for, bound at construction (UsageError when an address cannot be),
// receiving until stop(). Says where each listens on `err` unless quiet.
class ReceiverRun {
public:
    ReceiverRun(const ReceiverFlags& flags, std::size_t max_message, const std::string& command, bool quiet,
                std::ostream& err);
    ~ReceiverRun();
    // The input: every receiver's messages, one per line, ending at SIGINT/SIGTERM.
    std::unique_ptr<io::ByteSource> source();
    // The input's name in messages: "syslog tcp://127.0.0.1:5514, otlp http://127.0.0.1:4318".
    const std::string& name() const;
    // logad_receiver_*{receiver=...} counters (messages, dropped, rejected, truncated).
    void add_metrics(ops::Registry& registry);
    // Stops receiving; then the summary: per receiver, what came, what was dropped or rejected,
    // and what was still queued unread at the stop.
    void stop();
    void print_summary(std::ostream& err) const;
    std::uint64_t dropped() const;

private:
    struct State;
    std::shared_ptr<State> m_state;  // shared with the metrics callbacks, which may outlive this
    std::string m_command;
};

}  // namespace logad::cli
