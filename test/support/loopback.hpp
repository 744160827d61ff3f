#pragma once
// Sockets to a test's own servers on 127.0.0.1 (receivers, the metrics listener).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <thread>

namespace logad::test {

inline sockaddr_in loopback_address(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A TCP connection to `port`, tried every 50 ms for up to `wait` while a server starts; -1 when
// it never answered.
inline int connect_loopback(int port, std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    const sockaddr_in a = loopback_address(port);
    const auto until = std::chrono::steady_clock::now() + wait;
    for (;;) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0) return fd;
        if (fd >= 0) ::close(fd);
        if (std::chrono::steady_clock::now() >= until) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

// Sends all of `data`; stops early when the peer closes (fine for hostile input). Returns the bytes sent.
inline std::size_t send_all(int fd, std::string_view data) {
    std::size_t off = 0;
    while (off < data.size()) {
        const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
    return off;
}

}  // namespace logad::test
