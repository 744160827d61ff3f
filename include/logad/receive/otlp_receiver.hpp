#pragma once
// An OpenTelemetry logs receiver: OTLP/HTTP in either encoding (Content-Type application/x-protobuf,
// the exporters' default, or application/json), POST /v1/logs (cpp-httplib,
// one worker per connection up to k_max_connections). Each log record becomes one NDJSON line
// (otlp_logs.hpp) in the LineQueue. Answers as the OTLP specification says, in the request's
// encoding (shown here as JSON; the protobuf answers carry the same fields):
//   200 {}                                         every record queued
//   200 {"partialSuccess":{"rejectedLogRecords":"N","errorMessage":...}}
//                                                  N records not queued (queue full: counted as
//                                                  dropped) or not objects
//   400 {"code":3,"message":...}                   not JSON or malformed protobuf, not an
//                                                  ExportLogsServiceRequest
//   401 (WWW-Authenticate: Bearer)                 a token is set and the request lacks it
//   404 / 405                                      another path / another method
//   413                                            a body over max_body bytes, as sent (not read)
//                                                  or once gzip/deflate is decoded (httplib
//                                                  may answer that one 400 itself)
//   415                                            another content type
#include <logad/export.hpp>
#include <logad/receive/line_queue.hpp>
#include <logad/receive/receiver.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace logad::receive {

struct OtlpSettings {
    Endpoint endpoint;  // scheme http
    std::string bearer_token;  // empty: no authorisation asked for
    std::size_t max_body = std::size_t(8) << 20;
    int timeout_seconds = 5;  // read, write and keep-alive (a stop waits for idle keep-alive connections up to this)
    std::string flag = "--listen-otlp";  // names the flag in errors
};

class LOGAD_API OtlpReceiver final : public Receiver {
public:
    // Each may hold a body of max_body bytes: 32 x 8 MiB bounds what requests hold at once.
    static constexpr std::size_t k_max_connections = 32;
    // Binds at once (throws UsageError when it cannot) and serves until destroyed.
    OtlpReceiver(OtlpSettings settings, LineQueue& queue);
    ~OtlpReceiver() override;

    Endpoint endpoint() const override { return m_settings.endpoint; }
    ReceiverStats stats() const override;
    void stop() override;

private:

    OtlpSettings m_settings;
    LineQueue& m_queue;
    ReceiverCounters m_counters;
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
};

}  // namespace logad::receive
