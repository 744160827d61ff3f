#include <logad/util/file_lock.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace logad::util {

std::filesystem::path FileLock::lock_path(const std::filesystem::path& file) {
    std::filesystem::path p = file;
    p += ".lock";
    return p;
}

FileLock::FileLock(const std::filesystem::path& file, std::chrono::milliseconds timeout,
                   const std::function<void()>& on_wait) {
    const std::filesystem::path path = lock_path(file);
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0)
        throw OutputError(fmt::format("cannot create the lock file {}: {} (is the directory writable?)", path.string(),
                                      std::strerror(errno)));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool told = false;
    auto pause = std::chrono::milliseconds(2);
    for (;;) {
        if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int err = errno;
            ::close(m_fd);
            throw OutputError(fmt::format("cannot lock {}: {}", path.string(), std::strerror(err)));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(m_fd);
            throw Error(fmt::format("{} is being changed by another logad (it holds {}) and did not finish within {} s; "
                                    "try again when it has",
                                    file.string(), path.string(), timeout.count() / 1000));
        }
        if (!told && on_wait) on_wait();
        told = true;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

FileLock::~FileLock() {
    if (m_fd >= 0) ::close(m_fd);  // releases the lock
}

}  // namespace logad::util
