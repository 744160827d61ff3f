#include "listen_socket.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

namespace logad::receive {
namespace {

constexpr int k_backlog = 256;

int port_of(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
    if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    return 0;
}

}  // namespace

int bind_socket(Endpoint& e, int type, std::string_view flag) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(e.port);
    if (const int rc = ::getaddrinfo(e.host.c_str(), port.c_str(), &hints, &found); rc != 0)
        throw UsageError(fmt::format("{} {}: cannot resolve {}: {}", flag, e.text(), e.host, ::gai_strerror(rc)));
    std::string why = "no address";
    int fd = -1;
    for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = std::strerror(errno);
            continue;
        }
        // SO_REUSEADDR only (a restart binds at once); not SO_REUSEPORT, which would let a second
        // logad share the port silently and get half of the messages.
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || (type == SOCK_STREAM && ::listen(fd, k_backlog) != 0)) {
            why = std::strerror(errno);
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    if (fd < 0)
        throw UsageError(fmt::format("{}: cannot listen on {}: {} (in use, or not an address of this machine?)", flag,
                                     e.text(), why));
    e.port = port_of(fd);
    return fd;
}

WakePipe::WakePipe() {
    if (::pipe2(m_fds, O_CLOEXEC | O_NONBLOCK) != 0) throw Error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
}

WakePipe::~WakePipe() {
    for (int fd : m_fds)
        if (fd >= 0) ::close(fd);
}

void WakePipe::wake() noexcept {
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(m_fds[1], &c, 1);
}

}  // namespace logad::receive
