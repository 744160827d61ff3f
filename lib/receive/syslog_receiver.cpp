#include <logad/receive/syslog_receiver.hpp>

#include "listen_socket.hpp"

#include <logad/receive/syslog_framing.hpp>

#include <algorithm>
#include <cerrno>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace logad::receive {
namespace {

constexpr std::size_t k_read_buffer = std::size_t(64) << 10;

}  // namespace

// The receiving thread: the listening (or datagram) socket, the connections, the wake pipe.
class SyslogReceiver::Loop {
    struct Connection {
        int fd = -1;
        SyslogFramer framer;
    };

public:
    Loop(int socket, bool udp, const SyslogSettings& s, LineQueue& queue, ReceiverCounters& counters)
        : m_socket(socket), m_udp(udp), m_max(s.max_message), m_queue(queue), m_counters(counters), m_buffer(k_read_buffer) {}
    ~Loop() {
        for (Connection& c : m_connections) ::close(c.fd);
        ::close(m_socket);
    }

    void stop() { m_wake.wake(); }

    void run() {
        std::vector<pollfd> fds;
        for (;;) {
            fds.clear();
            fds.push_back({m_wake.read_fd(), POLLIN, 0});
            // At the connection cap the listening socket is left alone: new peers wait in the backlog.
            const bool accepting = m_udp || m_connections.size() < k_max_connections;
            fds.push_back({accepting ? m_socket : -1, POLLIN, 0});
            for (const Connection& c : m_connections) fds.push_back({c.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), -1) < 0) {
                if (errno == EINTR) continue;
                return;
            }
            if (fds[0].revents) return;  // stop
            // Connections first: indexes in fds follow m_connections until it changes.
            std::size_t kept = 0;
            for (std::size_t i = 0; i < m_connections.size(); ++i) {
                const short ev = fds[i + 2].revents;
                if (ev == 0 || serve(m_connections[i])) {
                    if (kept != i) m_connections[kept] = std::move(m_connections[i]);
                    ++kept;
                } else {
                    ::close(m_connections[i].fd);
                }
            }
            m_connections.erase(m_connections.begin() + static_cast<std::ptrdiff_t>(kept), m_connections.end());
            if (fds[1].revents) m_udp ? receive_datagrams() : accept_connections();
        }
    }

private:
    void deliver(std::string_view message) {
        m_counters.messages.fetch_add(1, std::memory_order_relaxed);
        if (!m_queue.push(message) && !m_queue.closed()) m_counters.dropped.fetch_add(1, std::memory_order_relaxed);
    }

    void accept_connections() {
        while (m_connections.size() < k_max_connections) {
            const int fd = ::accept4(m_socket, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;  // EAGAIN, or an error the next poll shows again
            m_counters.connections.fetch_add(1, std::memory_order_relaxed);
            m_connections.push_back({fd, SyslogFramer(m_max)});
        }
    }

    // Reads what the connection has; false when it is done (closed by the peer, or broken).
    bool serve(Connection& c) {
        const auto emit = [this](std::string_view m) { deliver(m); };
        const std::uint64_t truncated_before = c.framer.truncated();
        bool open = true;
        for (int reads = 0; reads < 16 && open; ++reads) {  // then let the other connections in
            const ssize_t n = ::recv(c.fd, m_buffer.data(), m_buffer.size(), 0);
            if (n > 0) {
                if (!c.framer.feed({m_buffer.data(), static_cast<std::size_t>(n)}, emit)) {
                    m_counters.rejected.fetch_add(1, std::memory_order_relaxed);
                    open = false;
                }
                if (static_cast<std::size_t>(n) < m_buffer.size()) break;
            } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                c.framer.finish(emit);
                m_counters.rejected.fetch_add(c.framer.incomplete(), std::memory_order_relaxed);
                open = false;
            } else {
                break;
            }
        }
        m_counters.truncated.fetch_add(c.framer.truncated() - truncated_before, std::memory_order_relaxed);
        return open;
    }

    void receive_datagrams() {
        for (int i = 0; i < 256; ++i) {
            const ssize_t n = ::recv(m_socket, m_buffer.data(), m_buffer.size(), MSG_TRUNC);
            if (n < 0) return;
            std::string_view m(m_buffer.data(), std::min(static_cast<std::size_t>(n), m_buffer.size()));
            while (!m.empty() && (m.back() == '\n' || m.back() == '\r' || m.back() == '\0')) m.remove_suffix(1);
            if (m.empty()) continue;
            if (m.size() > m_max || static_cast<std::size_t>(n) > m_buffer.size()) {
                m = m.substr(0, m_max);
                m_counters.truncated.fetch_add(1, std::memory_order_relaxed);
            }
            deliver(m);
        }
    }

    const int m_socket;
    const bool m_udp;
    const std::size_t m_max;
    LineQueue& m_queue;
    ReceiverCounters& m_counters;
    WakePipe m_wake;
    std::vector<Connection> m_connections;
    std::vector<char> m_buffer;
};

SyslogReceiver::SyslogReceiver(SyslogSettings settings, LineQueue& queue) : m_settings(std::move(settings)) {
    const bool udp = m_settings.endpoint.scheme == "udp";
    const int fd = bind_socket(m_settings.endpoint, udp ? SOCK_DGRAM : SOCK_STREAM, m_settings.flag);
    if (udp) {  // room for bursts while the thread is busy: the kernel drops (uncounted) past it
        int size = 4 << 20;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    m_loop = std::make_unique<Loop>(fd, udp, m_settings, queue, m_counters);
    m_thread = std::thread([this] { m_loop->run(); });
}

SyslogReceiver::~SyslogReceiver() { stop(); }

void SyslogReceiver::stop() {
    if (!m_thread.joinable()) return;
    m_loop->stop();
    m_thread.join();
}

ReceiverStats SyslogReceiver::stats() const { return m_counters.snapshot(); }

}  // namespace logad::receive
