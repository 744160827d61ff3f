// `logad score --follow`: a file or FIFO read like `tail -F`. A FIFO is opened for reading and
// writing, so it never reports end of input when a writer closes it, and a new writer neither
// blocks nor fails (ENXIO) for want of a reader. A regular file is read to its end, then watched:
// more bytes are read as they are appended; a file truncated in place is read again from its
// start; a file replaced (rotated: a new inode at the path) is read from the start of the new one
// once the old one is read to its end. Only SIGINT/SIGTERM (stop_requested) end it.
#include <logad/io/input.hpp>

#include <logad/error.hpp>
#include <logad/util/stop.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace logad::io {
namespace {

constexpr int k_poll_ms = 100;  // how often a quiet regular file is looked at again

class FollowSource final : public ByteSource {
public:
    explicit FollowSource(std::string path) : m_path(std::move(path)) { open_path(true); }
    ~FollowSource() override {
        if (m_fd >= 0) ::close(m_fd);
    }

    std::size_t read(char* buf, std::size_t size) override {
        for (;;) {
            if (util::stop_requested()) return 0;
            const ssize_t n = ::read(m_fd, buf, size);
            if (n > 0) {
                m_offset += n;
                return static_cast<std::size_t>(n);
            }
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                throw InputError(fmt::format("cannot read {}: {}", m_path, std::strerror(errno)));
            if (n == 0 && !m_fifo) switch_if_replaced();
            wait_ready(k_poll_ms);
        }
    }
    bool ready() override { return wait_ready(0); }
    bool wait_ready(int timeout_ms) override {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        for (;;) {
            if (util::stop_requested()) return true;
            if (m_fifo) {
                pollfd p{m_fd, POLLIN, 0};
                return ::poll(&p, 1, timeout_ms) > 0;
            }
            if (has_more()) return true;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(k_poll_ms)));
        }
    }
    const std::string& name() const override { return m_path; }

private:
    void open_path(bool first) {
        struct stat st {};
        if (::stat(m_path.c_str(), &st) != 0) {
            if (first) throw InputError(fmt::format("cannot open {}: {}", m_path, std::strerror(errno)));
            return;
        }
        if (S_ISDIR(st.st_mode)) throw InputError(fmt::format("{} is a directory; --follow reads one file or FIFO", m_path));
        m_fifo = S_ISFIFO(st.st_mode);
        const int fd = ::open(m_path.c_str(), (m_fifo ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        if (fd < 0) {
            if (first) throw InputError(fmt::format("cannot open {}: {}", m_path, std::strerror(errno)));
            return;
        }
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
        ::fstat(fd, &st);
        m_ino = st.st_ino;
        m_dev = st.st_dev;
        m_offset = 0;
    }
    // Bytes beyond what was read, a truncation, or a new file at the path.
    bool has_more() {
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && st.st_size != m_offset) return true;
        return replaced();
    }
    bool replaced() const {
        struct stat st {};
        return ::stat(m_path.c_str(), &st) == 0 && (st.st_ino != m_ino || st.st_dev != m_dev);
    }
    // At the end of what the open file holds: follow a truncation or a rotation.
    void switch_if_replaced() {
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && st.st_size < m_offset) {  // truncated in place (copytruncate)
            ::lseek(m_fd, 0, SEEK_SET);
            m_offset = 0;
            return;
        }
        if (replaced()) open_path(false);
    }

    std::string m_path;
    int m_fd = -1;
    bool m_fifo = false;
    ino_t m_ino = 0;
    dev_t m_dev = 0;
    long long m_offset = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_followed(const std::string& path) { return std::make_unique<FollowSource>(path); }

}  // namespace logad::io
