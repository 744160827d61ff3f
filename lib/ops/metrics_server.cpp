#include <logad/ops/metrics_server.hpp>

#include <logad/error.hpp>
#include <logad/util/connection_workers.hpp>

#include <fmt/core.h>
#include <httplib.h>

#include <chrono>

#include <sys/socket.h>

namespace logad::ops {
namespace {

// Each connection gets a worker of its own, up to k_max_connections (util/connection_workers.hpp):
// a few idle connections never starve the scrapes.
class HttplibWorkers final : public httplib::TaskQueue {
public:
    explicit HttplibWorkers(std::size_t max) : m_workers(max) {}
    void enqueue(std::function<void()> fn) override { m_workers.enqueue(std::move(fn)); }
    void shutdown() override { m_workers.shutdown(); }

private:
    util::ConnectionWorkers m_workers;
};

}  // namespace

MetricsServer::MetricsServer(const ListenAddress& address, std::function<std::string()> render)
    : m_server(std::make_unique<httplib::Server>()), m_host(address.host) {
    m_server->new_task_queue = [] { return new HttplibWorkers(k_max_connections); };
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second logad
    // share the port silently and answer half of the scrapes.
    int listening = -1;
    m_server->set_socket_options([&listening](auto sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listening = static_cast<int>(sock);
    });
    // A scrape is one small GET: nothing else is read into memory, and a client that says
    // nothing (or nothing more) is dropped after a few seconds.
    m_server->set_payload_max_length(k_max_payload);
    m_server->set_read_timeout(k_timeout_seconds, 0);
    m_server->set_write_timeout(k_timeout_seconds, 0);
    m_server->set_keep_alive_timeout(k_timeout_seconds);
    m_server->set_keep_alive_max_count(100);
    m_server->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        if (req.method == "GET" || req.method == "HEAD") return httplib::Server::HandlerResponse::Unhandled;
        res.status = 405;
        res.set_header("Allow", "GET, HEAD");
        res.set_content("only GET /metrics\n", "text/plain; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
    });
    m_server->Get("/metrics", [render](const httplib::Request&, httplib::Response& res) {
        res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    m_server->Get("/", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("logad score: metrics at /metrics\n", "text/plain; charset=utf-8");
    });
    if (address.port == 0) {
        m_port = m_server->bind_to_any_port(address.host);
        if (m_port < 0) m_port = 0;
    } else if (m_server->bind_to_port(address.host, address.port)) {
        m_port = address.port;
    }
    // httplib listens with a backlog of 5: a burst of connections (many idle ones, then a scrape)
    // would see SYNs dropped and retried a second later. Listening again only enlarges the queue.
    if (m_port > 0 && listening >= 0) ::listen(listening, k_max_connections);
    if (m_port <= 0)
        throw UsageError(fmt::format("--metrics-listen: cannot listen on {}:{} (address in use, or not an address of "
                                     "this machine?)",
                                     address.host, address.port));
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // stop() only works once the accept loop runs: wait for it (it starts at once).
    for (int i = 0; i < 2000 && !m_server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MetricsServer::~MetricsServer() {
    for (int i = 0; i < 2000 && !m_server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_server->stop();
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace logad::ops
