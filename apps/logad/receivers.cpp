#include "receivers.hpp"

#include <logad/error.hpp>
#include <logad/util/secret_file.hpp>

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace logad::cli {

void add_receiver_options(CLI::App& cmd, ReceiverFlags& f) {
    cmd.add_option("--listen-syslog", f.syslog,
                   "receive syslog instead of reading files: tcp://HOST:PORT (RFC 6587, octet counting or LF "
                   "framing) or udp://HOST:PORT; RFC 5424 and 3164; HOST left out (tcp://:5514) = 127.0.0.1 "
                   "(repeatable)");
    cmd.add_option("--listen-otlp", f.otlp,
                   "receive OpenTelemetry logs, OTLP/HTTP (protobuf or JSON): POST http://HOST:PORT/v1/logs (e.g. "
                   "http://127.0.0.1:4318); each record a JSON line (repeatable)");
    cmd.add_option("--otlp-token-file", f.otlp_token_file,
                   "--listen-otlp asks for 'Authorization: Bearer TOKEN', TOKEN the first line of this file "
                   "(default: $LOGAD_OTLP_TOKEN; neither = no token)");
    cmd.add_option("--listen-queue", f.queue,
                   "messages received but not yet read that are held; beyond, messages are dropped and counted")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(1), std::size_t(100000000)));
}

live::ReceiverSettings receiver_settings(const ReceiverFlags& f, std::size_t max_message) {
    live::ReceiverSettings s{f.syslog, f.otlp, {}, f.queue, max_message};
    if (!f.otlp_token_file.empty()) {
        s.otlp_token = util::read_secret_file(f.otlp_token_file, "--otlp-token-file");
    } else if (const char* env = std::getenv("LOGAD_OTLP_TOKEN"); env && *env) {
        s.otlp_token = env;
    }
    if (!s.otlp_token.empty() && f.otlp.empty()) throw UsageError("--otlp-token-file (or LOGAD_OTLP_TOKEN) needs --listen-otlp");
    return s;
}

}  // namespace logad::cli
