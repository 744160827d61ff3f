#include <logad/util/atomic_file.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace logad::util {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw OutputError(fmt::format("cannot write {}: {} (is the directory writable?)", path.string(),
                                      std::strerror(errno)));
    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
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
    ::fchmod(fd, 0644);
    if (::fsync(fd) != 0) fail("fsync");
    if (::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        throw OutputError(fmt::format("cannot write {}: close failed: {}", path.string(), std::strerror(errno)));
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        throw OutputError(fmt::format("cannot write {}: rename failed: {}", path.string(), std::strerror(err)));
    }
}

std::string read_file(const std::filesystem::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
    std::string content;
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
