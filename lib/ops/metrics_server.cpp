#include <logad/ops/metrics_server.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>
#include <httplib.h>

#include <chrono>

#include <sys/socket.h>

namespace logad::ops {

MetricsServer::MetricsServer(const ListenAddress& address, std::function<std::string()> render)
    : m_server(std::make_unique<httplib::Server>()), m_host(address.host) {
    // Scrapes are rare and small: two workers are plenty and leave the cores to scoring.
    m_server->new_task_queue = [] { return new httplib::ThreadPool(2); };
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second logad
    // share the port silently and answer half of the scrapes.
    m_server->set_socket_options([](auto sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    m_server->set_read_timeout(5, 0);
    m_server->set_write_timeout(5, 0);
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
