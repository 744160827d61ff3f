#pragma once
// Writes a whole file so that readers see either the old content or the new, never a mix:
// write to a temporary file beside the target, fsync, rename over it, fsync the directory. A
// crash or SIGKILL mid-write leaves the previous file intact.
//
// The temporary file is `.<name>.tmp.<pid>.<random>`: SIGINT and SIGTERM remove it (when the
// program calls remove_temp_files() from its handlers, as logad's main does), and the next write
// of the same file removes those of processes that no longer run (SIGKILL, power loss).
//
// Modes: a rewrite keeps the file's mode; a new file gets `new_mode` less the umask. A target
// that is a symbolic link is written through: the link stays and its target gets the content.
#include <logad/export.hpp>
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace logad::util {

// Throws OutputError (with the path and the reason) when the file cannot be written.
LOGAD_API void write_file_atomically(const std::filesystem::path& path, std::string_view content, mode_t new_mode = 0644);

// Reads a whole regular file; throws InputError when it cannot. Refuses anything else (devices,
// FIFOs) and files above `max_bytes`.
std::string read_file(const std::filesystem::path& path, std::size_t max_bytes = std::size_t(1) << 31);

// The same checks for a reader that streams: a read-only descriptor (O_CLOEXEC) the caller closes.
int open_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

// A file that exists only while its owner works on it: removed by the destructor, and by
// remove_temp_files() on a signal. Up to 16 at once are known to the signal path.
class TempPath {
public:
    explicit TempPath(std::string path);
    ~TempPath();
    TempPath(const TempPath&) = delete;
    TempPath& operator=(const TempPath&) = delete;
    const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
    int m_slot = -1;
};

// Unlinks every temporary file in progress (write_file_atomically's and TempPath's).
// Async-signal-safe: for SIGINT/SIGTERM handlers.
LOGAD_API void remove_temp_files() noexcept;

// Removes `dir/<prefix><pid>.*` entries whose process no longer runs (left by a kill). Errors
// are ignored: this is tidying, not a condition of the write.
LOGAD_API void sweep_stale_temp_files(const std::filesystem::path& dir, const std::string& prefix) noexcept;

}  // namespace logad::util
