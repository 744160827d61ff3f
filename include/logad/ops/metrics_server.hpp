#pragma once
// Serves GET /metrics (Prometheus text format) from a background thread, with cpp-httplib.
// The body comes from a callback, called on the HTTP thread for each scrape.
//
// Hardened for a hostile client: only GET and HEAD (405 otherwise), request bodies above
// k_max_payload refused (413) without being read, read/write/keep-alive timeouts of
// k_timeout_seconds, and at most k_max_connections served at once, each by its own worker (idle
// connections never delay a scrape; beyond the cap new connections wait in the kernel's backlog).
#include <logad/ops/url.hpp>

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace logad::ops {

class MetricsServer {
public:
    static constexpr std::size_t k_max_connections = 256;
    static constexpr std::size_t k_max_payload = 1024;  // bytes of request body
    static constexpr int k_timeout_seconds = 5;
    // Binds at once (throws UsageError when the address cannot be bound, e.g. in use) and
    // serves until destroyed. Port 0 binds a free port: see port().
    MetricsServer(const ListenAddress& address, std::function<std::string()> render);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    int port() const noexcept { return m_port; }
    const std::string& host() const noexcept { return m_host; }

private:
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    std::string m_host;
    int m_port = 0;
};

}  // namespace logad::ops
