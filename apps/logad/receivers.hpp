#pragma once
// `--listen-syslog` and `--listen-otlp` on `logad score` and `logad parse`: network receivers in
// place of files (lib/live/receivers.hpp runs them).
#include <logad/live/receivers.hpp>

#include <cstddef>
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

// The receivers' settings: the token read from --otlp-token-file or LOGAD_OTLP_TOKEN (UsageError
// when there is one without --listen-otlp); messages cut at `max_message` bytes.
live::ReceiverSettings receiver_settings(const ReceiverFlags& flags, std::size_t max_message);

}  // namespace logad::cli
