#pragma once
// Serves GET /metrics (Prometheus text format) from a background thread, with cpp-httplib.
// The body comes from a callback, called on the HTTP thread for each scrape.
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
