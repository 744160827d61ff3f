#include <logad/io/input.hpp>

#include <logad/error.hpp>
#include <logad/util/stop.hpp>

#include "bzip2_source.hpp"
#include "wrapped_source.hpp"
#include "xz_source.hpp"
#include "zstd_source.hpp"

#include <fmt/core.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace logad::io {
namespace {

class FdSource final : public ByteSource {
public:
    FdSource(int fd, std::string name, bool owned) : m_fd(fd), m_name(std::move(name)), m_owned(owned) {
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) m_size = st.st_size;
        if (S_ISDIR(st.st_mode)) {
            if (owned) ::close(fd);
            throw InputError(fmt::format("{} is a directory; give the log files in it", m_name));
        }
    }
    ~FdSource() override {
        if (m_owned) ::close(m_fd);
    }
    std::size_t read(char* buf, std::size_t size) override {
        for (;;) {
            if (util::stop_requested()) return 0;  // SIGINT/SIGTERM: end as at end of input
            const ssize_t n = ::read(m_fd, buf, size);
            if (n >= 0) {
                m_position += n;
                return static_cast<std::size_t>(n);
            }
            if (errno == EINTR) continue;
            throw InputError(fmt::format("cannot read {}: {}", m_name, std::strerror(errno)));
        }
    }
    bool ready() override { return wait_ready(0); }
    bool wait_ready(int timeout_ms) override {
        if (m_size >= 0 || util::stop_requested()) return true;  // a stop is answered by read() at once
        pollfd p{m_fd, POLLIN, 0};
        return ::poll(&p, 1, timeout_ms) != 0;
    }
    const std::string& name() const override { return m_name; }
    long long size_hint() const override { return m_size; }
    long long position() const override { return m_position; }

private:
    int m_fd;
    std::string m_name;
    bool m_owned;
    long long m_size = -1;
    long long m_position = 0;
};

class IstreamSource final : public ByteSource {
public:
    explicit IstreamSource(std::istream& in) : m_in(in) {}
    std::size_t read(char* buf, std::size_t size) override {
        m_in.read(buf, static_cast<std::streamsize>(size));
        return static_cast<std::size_t>(m_in.gcount());
    }
    const std::string& name() const override { return m_name; }

private:
    std::istream& m_in;
    std::string m_name = "-";
};

// Returns some already-read bytes before the rest of the underlying source.
class PrefixedSource final : public WrappedSource {
public:
    PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> rest)
        : WrappedSource(std::move(rest)), m_prefix(std::move(prefix)) {}
    std::size_t read(char* buf, std::size_t size) override {
        if (m_pos < m_prefix.size()) {
            const std::size_t n = std::min(size, m_prefix.size() - m_pos);
            std::memcpy(buf, m_prefix.data() + m_pos, n);
            m_pos += n;
            return n;
        }
        return m_raw->read(buf, size);
    }

private:
    bool holds_input() const override { return m_pos < m_prefix.size(); }
    std::string m_prefix;
    std::size_t m_pos = 0;
};

// Decodes gzip, including several concatenated members (as `cat a.gz b.gz` makes).
class GzipSource final : public WrappedSource {
public:
    explicit GzipSource(std::unique_ptr<ByteSource> raw) : WrappedSource(std::move(raw)), m_in(1 << 16) {
        if (inflateInit2(&m_z, 16 + MAX_WBITS) != Z_OK) throw InputError("cannot initialise zlib");
    }
    ~GzipSource() override { inflateEnd(&m_z); }
    std::size_t read(char* buf, std::size_t size) override {
        m_z.next_out = reinterpret_cast<Bytef*>(buf);
        m_z.avail_out = static_cast<uInt>(size);
        while (m_z.avail_out == size && !m_done) {
            if (m_z.avail_in == 0) {
                const std::size_t n = m_raw->read(m_in.data(), m_in.size());
                if (n == 0) {
                    if (m_mid_member) throw InputError(fmt::format("{}: gzip data is truncated", name()));
                    m_done = true;
                    break;
                }
                m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
                m_z.avail_in = static_cast<uInt>(n);
            }
            m_mid_member = true;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                m_mid_member = false;
                inflateReset(&m_z);  // another member may follow
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                throw InputError(fmt::format("{}: corrupt gzip data ({})", name(), m_z.msg ? m_z.msg : "zlib error"));
            }
        }
        return size - m_z.avail_out;
    }

private:
    bool holds_input() const override { return m_z.avail_in > 0; }
    std::vector<char> m_in;
    z_stream m_z{};
    bool m_mid_member = false;
    bool m_done = false;
};

// True while `head` can still grow into the start of a compressed stream we decode.
bool may_be_magic(const std::string& head) noexcept {
    static const std::string k_magics[] = {std::string("\x1f\x8b", 2), "\x28\xb5\x2f\xfd",
                                           std::string("\xFD" "7zXZ\0", 6), "BZh"};
    for (const auto& m : k_magics)
        if (head.compare(0, std::min(head.size(), m.size()), m, 0, std::min(head.size(), m.size())) == 0) return true;
    return false;
}

std::unique_ptr<ByteSource> decode_by_magic(std::unique_ptr<ByteSource> src) {
    std::string head;
    char buf[6];
    while (head.size() < sizeof buf && may_be_magic(head)) {  // a live line need not wait for more
        const std::size_t n = src->read(buf, sizeof buf - head.size());
        if (n == 0) break;
        head.append(buf, n);
    }
    const bool gzip = head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b';
    const bool zstd = is_zstd_magic(head);
    const bool xz = is_xz_magic(head);
    const bool bzip2 = is_bzip2_magic(head);
    auto whole = std::make_unique<PrefixedSource>(std::move(head), std::move(src));
    if (gzip) return std::make_unique<GzipSource>(std::move(whole));
    if (zstd) return make_zstd_source(std::move(whole));
    if (xz) return make_xz_source(std::move(whole));
    if (bzip2) return make_bzip2_source(std::move(whole));
    return whole;
}

// Reads the first block (what a live stream has ready, up to k_text_check_block) and refuses
// input that is not text; the block is then read again.
std::unique_ptr<ByteSource> check_text(std::unique_ptr<ByteSource> src) {
    std::string block(k_text_check_block, '\0');
    std::size_t have = 0;
    bool complete = false;
    do {
        const std::size_t n = src->read(block.data() + have, block.size() - have);
        if (n == 0) {
            complete = true;
            break;
        }
        have += n;
    } while (have < block.size() && src->ready());
    block.resize(have);
    if (const std::string why = why_not_text(block, complete); !why.empty()) {
        const std::string hint = why.find("NUL") != std::string::npos
                                     ? "; if it is a text log with many NUL bytes, remove them first: tr -d '\\000'"
                                     : "";
        throw InputError(fmt::format("{} {}; logad reads text logs, plain or compressed with gzip, zstd, xz or "
                                     "bzip2{}",
                                     src->name(), why, hint));
    }
    return std::make_unique<PrefixedSource>(std::move(block), std::move(src));
}

}  // namespace

std::string peek_first_line(std::unique_ptr<ByteSource>& source, std::size_t max) {
    std::string head;
    std::string line;
    char buf[4096];
    for (;;) {
        // the first line with something other than white space
        std::size_t start = 0;
        bool found = false;
        for (std::size_t nl; (nl = head.find('\n', start)) != std::string::npos; start = nl + 1) {
            line = head.substr(start, nl - start);
            if (line.find_first_not_of(" \t\r") != std::string::npos) {
                found = true;
                break;
            }
        }
        if (found) break;
        if (head.size() >= max) {
            line = head.substr(start);
            break;
        }
        const std::size_t n = source->read(buf, std::min(sizeof buf, max - head.size()));
        if (n == 0) {
            line = head.substr(start);
            break;
        }
        head.append(buf, n);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    source = std::make_unique<PrefixedSource>(std::move(head), std::move(source));
    return line;
}

std::unique_ptr<ByteSource> open_input(const std::string& path, std::istream& stdin_stream) {
    if (path == "-") {
        if (&stdin_stream == &std::cin) return check_text(decode_by_magic(std::make_unique<FdSource>(0, "-", false)));
        return check_text(decode_by_magic(std::make_unique<IstreamSource>(stdin_stream)));
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    return check_text(decode_by_magic(std::make_unique<FdSource>(fd, path, true)));
}

}  // namespace logad::io
