#include <logad/receive/otlp_receiver.hpp>

#include <logad/error.hpp>
#include <logad/receive/otlp_logs.hpp>
#include <logad/util/connection_workers.hpp>

#include "protobuf_wire.hpp"

#include <fmt/core.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include <sys/socket.h>

namespace logad::receive {
namespace {

class OtlpWorkers final : public httplib::TaskQueue {
public:
    explicit OtlpWorkers(std::size_t max) : m_workers(max) {}
    void enqueue(std::function<void()> fn) override { m_workers.enqueue(std::move(fn)); }
    void shutdown() override { m_workers.shutdown(); }

private:
    util::ConnectionWorkers m_workers;
};

// Compares in time independent of where the strings differ, so the token cannot be guessed byte by byte.
bool same_secret(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
    return diff == 0 && !b.empty();
}

std::string media_type(const std::string& content_type) {
    std::string t = content_type.substr(0, content_type.find(';'));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
}

constexpr const char* k_protobuf = "application/x-protobuf";

bool is_protobuf(const httplib::Request& req) { return media_type(req.get_header_value("Content-Type")) == k_protobuf; }

// OTLP/HTTP answers in the encoding of the request: JSON, or protobuf for a protobuf request.
// google.rpc.Status, as error responses carry it (code 3: INVALID_ARGUMENT, 16: UNAUTHENTICATED).
void answer_status(const httplib::Request& req, httplib::Response& res, int http, int code, const std::string& message) {
    res.status = http;
    if (is_protobuf(req)) {
        std::string body;  // Status: 1 code (int32), 2 message
        protobuf::append_varint_field(body, 1, static_cast<std::uint64_t>(code));
        protobuf::append_bytes_field(body, 2, message);
        res.set_content(body, k_protobuf);
        return;
    }
    const nlohmann::json body = {{"code", code}, {"message", message}};
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

// ExportLogsServiceResponse: {} when every record was taken, else partial_success.
void answer_success(const httplib::Request& req, httplib::Response& res, std::size_t rejected, const std::string& why) {
    if (is_protobuf(req)) {
        std::string body;  // 1 partial_success: ExportLogsPartialSuccess (1 rejected_log_records, 2 error_message)
        if (rejected > 0) {
            std::string partial;
            protobuf::append_varint_field(partial, 1, rejected);
            protobuf::append_bytes_field(partial, 2, why);
            protobuf::append_bytes_field(body, 1, partial);
        }
        res.set_content(body, k_protobuf);
        return;
    }
    nlohmann::json answer = nlohmann::json::object();
    if (rejected > 0) answer["partialSuccess"] = {{"rejectedLogRecords", std::to_string(rejected)}, {"errorMessage", why}};
    res.set_content(answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

}  // namespace

OtlpReceiver::OtlpReceiver(OtlpSettings settings, LineQueue& queue)
    : m_settings(std::move(settings)), m_queue(queue), m_server(std::make_unique<httplib::Server>()) {
    m_server->new_task_queue = [] { return new OtlpWorkers(k_max_connections); };
    int listening = -1;
    m_server->set_socket_options([&listening](auto sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // not SO_REUSEPORT: see listen_socket.cpp
        listening = static_cast<int>(sock);
    });
    m_server->set_payload_max_length(m_settings.max_body);  // larger bodies: 413 without reading them
    m_server->set_read_timeout(m_settings.timeout_seconds, 0);
    m_server->set_write_timeout(m_settings.timeout_seconds, 0);
    m_server->set_keep_alive_timeout(m_settings.timeout_seconds);
    // An answer is written in two pieces (head, body): with Nagle's algorithm the second waits for
    // the client's delayed ACK, 40 ms per request on Linux, which capped a keep-alive exporter at
    // about 11,000 records/s (scripts/bench_receivers.py).
    m_server->set_tcp_nodelay(true);

    const std::string token = m_settings.bearer_token;
    m_server->set_pre_routing_handler([this, token](const httplib::Request& req, httplib::Response& res) {
        using R = httplib::Server::HandlerResponse;
        m_counters.connections.fetch_add(1, std::memory_order_relaxed);
        if (req.path != "/v1/logs") {
            answer_status(req, res, 404, 5, "logad receives OpenTelemetry logs at POST /v1/logs only");
            return R::Handled;
        }
        if (req.method != "POST") {
            res.set_header("Allow", "POST");
            answer_status(req, res, 405, 3, "POST /v1/logs only");
            return R::Handled;
        }
        if (!token.empty()) {
            const std::string auth = req.get_header_value("Authorization");
            constexpr std::string_view k_bearer = "Bearer ";
            if (auth.size() <= k_bearer.size() || auth.compare(0, k_bearer.size(), k_bearer) != 0 ||
                !same_secret(std::string_view(auth).substr(k_bearer.size()), token)) {
                m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
                res.set_header("WWW-Authenticate", "Bearer");
                answer_status(req, res, 401, 16, "a bearer token is required (Authorization: Bearer TOKEN)");
                return R::Handled;
            }
        }
        // Over the bound as sent: refused before the body is read (it is not: the connection closes).
        if (req.get_header_value<std::uint64_t>("Content-Length") > m_settings.max_body) {
            m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
            res.set_header("Connection", "close");
            answer_status(req, res, 413, 3,
                          fmt::format("the body is over {} bytes; send smaller batches", m_settings.max_body));
            return R::Handled;
        }
        const std::string type = media_type(req.get_header_value("Content-Type"));
        if (type != "application/json" && type != k_protobuf) {
            m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
            answer_status(req, res, 415, 3,
                          "Content-Type must be application/x-protobuf or application/json (the OTLP/HTTP encodings)");
            return R::Handled;
        }
        return R::Unhandled;
    });
    // The body is read through a content reader so that its size is checked after decoding too:
    // httplib refuses a request whose Content-Length is over max_body, but a gzip or deflate body
    // (the OpenTelemetry Collector compresses by default) could inflate a thousandfold. (Debian's
    // cpp-httplib 0.11 also stops decoding at max_body, answering 400; this check does not rely on it.)
    m_server->Post("/v1/logs", [this](const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& read_content) {
        std::string body;
        bool too_large = false;
        // Past the bound the rest is read and thrown away (stopping the read makes httplib answer
        // 400 itself): memory stays bounded, and the sender learns why.
        read_content([&](const char* data, std::size_t n) {
            too_large = too_large || body.size() + n > m_settings.max_body;
            if (!too_large) body.append(data, n);
            return true;
        });
        if (too_large) {
            m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
            answer_status(req, res, 413, 3,
                          fmt::format("the decoded body is over {} bytes; send smaller batches", m_settings.max_body));
            return;
        }
        std::size_t dropped = 0;
        const auto queue_line = [&](std::string_view line) {
            if (!m_queue.push(line)) ++dropped;  // full, or closed at a stop
        };
        const OtlpConversion c =
            is_protobuf(req) ? otlp_protobuf_logs_to_lines(body, queue_line) : otlp_logs_to_lines(body, queue_line);
        if (!c.error.empty()) {
            m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
            answer_status(req, res, 400, 3, c.error);
            return;
        }
        m_counters.messages.fetch_add(c.records, std::memory_order_relaxed);
        if (!m_queue.closed()) m_counters.dropped.fetch_add(dropped, std::memory_order_relaxed);
        m_counters.rejected.fetch_add(c.rejected, std::memory_order_relaxed);
        std::string why =
            dropped > 0 ? fmt::format("{} log records dropped: logad's queue is full or logad is stopping", dropped) : "";
        if (c.rejected > 0) why += fmt::format("{}{} log records are not objects", why.empty() ? "" : "; ", c.rejected);
        answer_success(req, res, dropped + c.rejected, why);
    });

    Endpoint& e = m_settings.endpoint;
    const Endpoint asked = e;
    if (e.port == 0) {
        e.port = m_server->bind_to_any_port(e.host);
        if (e.port < 0) e.port = 0;
    } else if (!m_server->bind_to_port(e.host, e.port)) {
        e.port = -1;
    }
    if (e.port > 0 && listening >= 0) ::listen(listening, static_cast<int>(k_max_connections));  // httplib's backlog is 5
    if (e.port <= 0)
        throw UsageError(fmt::format("{}: cannot listen on {} (address in use, or not an address of this machine?)",
                                     m_settings.flag, asked.text()));
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    for (int i = 0; i < 2000 && !m_server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

OtlpReceiver::~OtlpReceiver() { stop(); }

void OtlpReceiver::stop() {
    if (!m_thread.joinable()) return;
    for (int i = 0; i < 2000 && !m_server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_server->stop();  // closes the listening socket, then waits for the connections being served
    m_thread.join();
}

ReceiverStats OtlpReceiver::stats() const { return m_counters.snapshot(); }

}  // namespace logad::receive
