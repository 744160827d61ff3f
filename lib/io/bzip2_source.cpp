#include "bzip2_source.hpp"
#include "wrapped_source.hpp"

#include <logad/error.hpp>

#include <bzlib.h>
#include <fmt/core.h>

#include <vector>

namespace logad::io {
namespace {

class Bzip2Source final : public WrappedSource {
public:
    explicit Bzip2Source(std::unique_ptr<ByteSource> raw) : WrappedSource(std::move(raw)), m_in(1 << 16) { start(); }
    ~Bzip2Source() override { BZ2_bzDecompressEnd(&m_z); }

    std::size_t read(char* buf, std::size_t size) override {
        m_z.next_out = buf;
        m_z.avail_out = static_cast<unsigned>(size);
        while (m_z.avail_out == size && !m_done) {
            if (m_z.avail_in == 0) {
                const std::size_t n = m_raw->read(m_in.data(), m_in.size());
                if (n == 0) {
                    if (m_mid_stream) throw InputError(fmt::format("{}: bzip2 data is truncated", name()));
                    m_done = true;
                    break;
                }
                m_z.next_in = m_in.data();
                m_z.avail_in = static_cast<unsigned>(n);
            }
            m_mid_stream = true;
            const int rc = BZ2_bzDecompress(&m_z);
            if (rc == BZ_STREAM_END) {
                // Another stream may follow: libbz2 has no reset, so start a new decoder on the
                // input still held.
                char* next = m_z.next_in;
                const unsigned avail = m_z.avail_in;
                char* out = m_z.next_out;
                const unsigned out_left = m_z.avail_out;
                BZ2_bzDecompressEnd(&m_z);
                start();
                m_z.next_in = next, m_z.avail_in = avail, m_z.next_out = out, m_z.avail_out = out_left;
                m_mid_stream = false;
            } else if (rc != BZ_OK) {
                throw InputError(fmt::format("{}: corrupt bzip2 data (libbz2 error {})", name(), rc));
            }
        }
        return size - m_z.avail_out;
    }

private:
    bool holds_input() const override { return m_z.avail_in > 0; }
    void start() {
        m_z = bz_stream{};
        if (BZ2_bzDecompressInit(&m_z, 0, 0) != BZ_OK) throw InputError("cannot initialise libbz2");
    }

    std::vector<char> m_in;
    bz_stream m_z{};
    bool m_mid_stream = false;
    bool m_done = false;
};

}  // namespace

bool is_bzip2_magic(const std::string& head) noexcept {
    // Then the first block's magic (31 41 59...) or, for an empty stream, the end magic (17 72...):
    // a text line starting "BZh9" is not taken for bzip2.
    return head.size() >= 5 && head.compare(0, 3, "BZh") == 0 && head[3] >= '1' && head[3] <= '9' &&
           (head[4] == '\x31' || head[4] == '\x17');
}

std::unique_ptr<ByteSource> make_bzip2_source(std::unique_ptr<ByteSource> raw) {
    return std::make_unique<Bzip2Source>(std::move(raw));
}

}  // namespace logad::io
