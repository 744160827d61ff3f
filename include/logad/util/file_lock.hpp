#pragma once
// An exclusive lock for a read-modify-write of a file that is replaced by rename (so the file
// itself cannot carry the lock): flock() on `<file>.lock` beside it. Held until destroyed; the
// kernel drops it if the process dies, so a killed holder never blocks the next one.
#include <logad/export.hpp>
#include <chrono>
#include <filesystem>
#include <functional>

namespace logad::util {

class LOGAD_API FileLock {
public:
    // Waits up to `timeout` for the lock, calling `on_wait` once if it has to wait (to say so).
    // Throws OutputError when the lock file cannot be created, and Error when the time is up.
    FileLock(const std::filesystem::path& file, std::chrono::milliseconds timeout,
             const std::function<void()>& on_wait = {});
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    static std::filesystem::path lock_path(const std::filesystem::path& file);

private:
    int m_fd = -1;
};

}  // namespace logad::util
