#include <logad/util/atomic_file.hpp>

#include <logad/error.hpp>
#include <logad/util/random.hpp>

#include <fmt/core.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <random>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace logad::util {
namespace {

// Paths a signal handler may unlink: fixed storage, claimed with an atomic flag, so the handler
// reads no memory that is being allocated or freed.
constexpr std::size_t k_slots = 16;
constexpr std::size_t k_path_max = 4096;
struct Slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 holds a path
    char path[k_path_max];
};
std::array<Slot, k_slots> g_slots;

int claim_slot(const std::string& path) {
    if (path.size() >= k_path_max) return -1;
    for (std::size_t i = 0; i < k_slots; ++i) {
        int expected = 0;
        if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
        std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
        g_slots[i].state.store(2);
        return static_cast<int>(i);
    }
    return -1;  // more at once than slots: still removed normally, only not on a signal
}

void release_slot(int slot) {
    if (slot >= 0) g_slots[static_cast<std::size_t>(slot)].state.store(0);
}

// The file a path names after following symbolic links (the path itself when it is none or does
// not exist yet). A relative link target is relative to the link's directory.
fs::path resolve_links(fs::path path) {
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
        const fs::path target = fs::read_symlink(path, ec);
        if (ec) return path;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    throw OutputError(fmt::format("cannot write {}: too many levels of symbolic links", path.string()));
}

void fsync_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);  // the rename reaches the disk; some filesystems refuse: nothing more to do
    ::close(fd);
}

}  // namespace

TempPath::TempPath(std::string path) : m_path(std::move(path)), m_slot(claim_slot(m_path)) {}

TempPath::~TempPath() {
    ::unlink(m_path.c_str());
    release_slot(m_slot);
}

void remove_temp_files() noexcept {
    for (Slot& s : g_slots)
        if (s.state.load() == 2) ::unlink(s.path);
}

void sweep_stale_temp_files(const fs::path& dir, const std::string& prefix) noexcept {
    std::error_code ec;
    for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::size_t digits_end = name.find_first_not_of("0123456789", prefix.size());
        if (digits_end == prefix.size() || digits_end == std::string::npos || name[digits_end] != '.') continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid <= 0 || pid == ::getpid()) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
        std::error_code rm;
        fs::remove(it->path(), rm);
    }
}

void write_file_atomically(const fs::path& requested, std::string_view content, mode_t new_mode) {
    const fs::path path = resolve_links(requested);
    const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
    const std::string prefix = "." + path.filename().string() + ".tmp.";
    sweep_stale_temp_files(dir, prefix);

    // A rewrite keeps the mode the file has; a new one gets new_mode less the umask (open applies it).
    struct stat existing {};
    const bool rewrite = ::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode);
    util::Random rng(std::random_device{}());  // logad's one generator; only the seed is the system's
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        tmp = (dir / fmt::format("{}{}.{:08x}", prefix, ::getpid(), static_cast<std::uint32_t>(rng.next()))).string();
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, rewrite ? 0600 : new_mode);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0)
        throw OutputError(fmt::format("cannot write {}: {} (is the directory writable?)", path.string(),
                                      std::strerror(errno)));
    const TempPath guard(tmp);  // removed on every way out (the rename leaves nothing to remove)
    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        throw OutputError(fmt::format("cannot write {}: {} failed: {}", path.string(), what, std::strerror(err)));
    };
    for (std::size_t done = 0; done < content.size();) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write");
        }
        done += static_cast<std::size_t>(n);
    }
    // ...and its owner and group, where we may give them (root may; others may keep their own or
    // pick a group they belong to; where the system refuses, the file becomes ours, as with any
    // editor's save).
    if (rewrite && (existing.st_uid != ::geteuid() || existing.st_gid != ::getegid()) &&
        ::fchown(fd, existing.st_uid, existing.st_gid) != 0 && errno != EPERM)
        fail("chown");
    if (rewrite && ::fchmod(fd, existing.st_mode & 07777) != 0) fail("chmod");
    if (::fsync(fd) != 0) fail("fsync");
    if (::close(fd) != 0)
        throw OutputError(fmt::format("cannot write {}: close failed: {}", path.string(), std::strerror(errno)));
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        throw OutputError(fmt::format("cannot write {}: rename failed: {}", path.string(), std::strerror(errno)));
    fsync_directory(dir);
}

int open_regular_file(const fs::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
    // A device or a FIFO (`-m /dev/zero`) has no end to read up to: only regular files, and
    // memory taken in proportion to the size they declare.
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError(fmt::format("{} is not a regular file; give the path of a saved file", path.string()));
    }
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        ::close(fd);
        throw InputError(fmt::format("{} is larger than {} bytes; is it the right file?", path.string(), max_bytes));
    }
    return fd;
}

std::string read_file(const fs::path& path, std::size_t max_bytes) {
    const int fd = open_regular_file(path, max_bytes);
    struct stat st {};
    ::fstat(fd, &st);
    std::string content;
    content.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            throw InputError(fmt::format("cannot read {}: {}", path.string(), std::strerror(err)));
        }
        if (n == 0) break;
        content.append(buf, static_cast<std::size_t>(n));
        if (content.size() > max_bytes) {
            ::close(fd);
            throw InputError(fmt::format("{} is larger than {} bytes; is it the right file?", path.string(), max_bytes));
        }
    }
    ::close(fd);
    return content;
}

}  // namespace logad::util
