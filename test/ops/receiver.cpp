#include "receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace logad::test {

Receiver::Receiver(std::deque<int> statuses) : m_statuses(std::move(statuses)) {
    m_server.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(m_mu);
        m_received.push_back({req.path, req.body, req.get_header_value("Content-Type"), std::chrono::steady_clock::now(),
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count()});
        int status = 200;
        if (!m_statuses.empty()) {
            status = m_statuses.front();
            m_statuses.pop_front();
        }
        res.status = status;
        res.set_content(status == 200 ? "ok" : "try again later", "text/plain");
    });
    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

Receiver::~Receiver() { stop(); }

void Receiver::stop() {
    if (!m_thread.joinable()) return;
    m_server.stop();
    m_thread.join();
}

std::vector<Received> Receiver::received() const {
    std::lock_guard lock(m_mu);
    return m_received;
}

std::size_t Receiver::wait_for(std::size_t n, int timeout_ms) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        std::size_t have;
        {
            std::lock_guard lock(m_mu);
            have = m_received.size();
        }
        if (have >= n || std::chrono::steady_clock::now() >= until) return have;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

}  // namespace logad::test
