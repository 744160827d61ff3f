#include "zstd_source.hpp"
#include "wrapped_source.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>
#include <zstd.h>

#include <vector>

namespace logad::io {
namespace {

class ZstdSource final : public WrappedSource {
public:
    explicit ZstdSource(std::unique_ptr<ByteSource> raw)
        : WrappedSource(std::move(raw)), m_in(ZSTD_DStreamInSize()), m_stream(ZSTD_createDStream()) {
        if (m_stream == nullptr) throw InputError("cannot initialise zstd");
    }
    ~ZstdSource() override { ZSTD_freeDStream(m_stream); }

    std::size_t read(char* buf, std::size_t size) override {
        ZSTD_outBuffer out{buf, size, 0};
        while (out.pos == 0 && !m_done) {
            if (m_input.pos == m_input.size) {
                const std::size_t n = m_raw->read(m_in.data(), m_in.size());
                if (n == 0) {
                    if (m_mid_frame) throw InputError(fmt::format("{}: zstd data is truncated", name()));
                    m_done = true;
                    break;
                }
                m_input = {m_in.data(), n, 0};
            }
            const std::size_t rc = ZSTD_decompressStream(m_stream, &out, &m_input);
            if (ZSTD_isError(rc)) throw InputError(fmt::format("{}: corrupt zstd data ({})", name(), ZSTD_getErrorName(rc)));
            m_mid_frame = rc != 0;  // 0: a frame ended; another may follow
        }
        return out.pos;
    }

private:
    bool holds_input() const override { return m_input.pos < m_input.size; }
    std::vector<char> m_in;
    ZSTD_DStream* m_stream;
    ZSTD_inBuffer m_input{nullptr, 0, 0};
    bool m_mid_frame = false;
    bool m_done = false;
};

}  // namespace

bool is_zstd_magic(const std::string& head) noexcept {
    return head.size() >= 4 && head.compare(0, 4, "\x28\xb5\x2f\xfd") == 0;
}

std::unique_ptr<ByteSource> make_zstd_source(std::unique_ptr<ByteSource> raw) {
    return std::make_unique<ZstdSource>(std::move(raw));
}

}  // namespace logad::io
