#pragma once
// A bound (and for TCP, listening) socket for an Endpoint, and small POSIX helpers the syslog
// receiver's threads share. Descriptors are close-on-exec and non-blocking.
#include <logad/receive/receiver.hpp>

namespace logad::receive {

// Binds `endpoint` (SOCK_STREAM or SOCK_DGRAM); throws UsageError naming `flag` when it cannot,
// e.g. the port is in use. The bound port is written back when 0 was asked for.
int bind_socket(Endpoint& endpoint, int type, std::string_view flag);

// A pipe whose write end wakes a poll() on its read end: how a destructor stops a thread.
class WakePipe {
public:
    WakePipe();
    ~WakePipe();
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;
    int read_fd() const noexcept { return m_fds[0]; }
    void wake() noexcept;

private:
    int m_fds[2] = {-1, -1};
};

}  // namespace logad::receive
