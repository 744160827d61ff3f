#include "xz_source.hpp"
#include "wrapped_source.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>
#include <lzma.h>

#include <cstdint>
#include <vector>

namespace logad::io {
namespace {

std::string_view lzma_error(lzma_ret rc) noexcept {
    switch (rc) {
        case LZMA_MEM_ERROR: return "out of memory";
        case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
        case LZMA_FORMAT_ERROR: return "not xz data";
        case LZMA_OPTIONS_ERROR: return "unsupported options";
        case LZMA_DATA_ERROR: return "damaged data";
        case LZMA_BUF_ERROR: return "data is truncated";
        default: return "liblzma error";
    }
}

class XzSource final : public WrappedSource {
public:
    explicit XzSource(std::unique_ptr<ByteSource> raw) : WrappedSource(std::move(raw)), m_in(1 << 16) {
        // LZMA_CONCATENATED: decode streams one after another until the input ends.
        if (lzma_stream_decoder(&m_z, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            throw InputError("cannot initialise liblzma");
    }
    ~XzSource() override { lzma_end(&m_z); }

    std::size_t read(char* buf, std::size_t size) override {
        m_z.next_out = reinterpret_cast<std::uint8_t*>(buf);
        m_z.avail_out = size;
        while (m_z.avail_out == size && !m_done) {
            lzma_action action = LZMA_RUN;
            if (m_z.avail_in == 0 && !m_eof) {
                const std::size_t n = m_raw->read(m_in.data(), m_in.size());
                m_eof = n == 0;
                m_z.next_in = reinterpret_cast<const std::uint8_t*>(m_in.data());
                m_z.avail_in = n;
            }
            if (m_eof) action = LZMA_FINISH;  // lets the decoder tell a complete stream from a cut one
            const lzma_ret rc = lzma_code(&m_z, action);
            if (rc == LZMA_STREAM_END) {
                m_done = true;
            } else if (rc != LZMA_OK) {
                if (rc == LZMA_BUF_ERROR || (m_eof && rc == LZMA_DATA_ERROR))
                    throw InputError(fmt::format("{}: xz data is truncated", name()));
                throw InputError(fmt::format("{}: corrupt xz data ({})", name(), lzma_error(rc)));
            }
        }
        return size - m_z.avail_out;
    }

private:
    bool holds_input() const override { return m_z.avail_in > 0; }
    std::vector<char> m_in;
    lzma_stream m_z = LZMA_STREAM_INIT;
    bool m_eof = false;
    bool m_done = false;
};

}  // namespace

bool is_xz_magic(const std::string& head) noexcept {
    return head.size() >= 6 && head.compare(0, 6, std::string("\xFD" "7zXZ\0", 6)) == 0;
}

std::unique_ptr<ByteSource> make_xz_source(std::unique_ptr<ByteSource> raw) {
    return std::make_unique<XzSource>(std::move(raw));
}

}  // namespace logad::io
