#include <logad/io/line_reader.hpp>

#include <cstring>

namespace logad::io {

namespace {
constexpr std::size_t k_chunk = std::size_t(1) << 18;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line)
    : m_source(source), m_max_line(max_line), m_buf(max_line + k_chunk, '\0') {}

bool LineReader::fill() {
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_scan -= m_begin;
        m_begin = 0;
    }
    if (m_idle && !m_source.ready()) m_idle();
    if (m_tick)
        while (!m_source.wait_ready(m_tick_ms)) m_tick();
    const std::size_t n = m_source.read(m_buf.data() + m_end, m_buf.size() - m_end);
    m_bytes += n;
    m_end += n;
    return n > 0;
}

bool LineReader::next_lines(std::string_view& text) {
    // Every complete line buffered, up to the last '\n': next() would return the same ones, since
    // it reads more only when none is left. A skipped tail goes through next(), which drops it.
    if (!m_skipping && m_scan < m_end) {
        const char* base = m_buf.data();
        if (const void* nl = memrchr(base + m_scan, '\n', m_end - m_scan)) {
            const std::size_t stop = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
            text = std::string_view(base + m_begin, stop - m_begin);
            m_begin = m_scan = stop;
            return true;
        }
    }
    return next(text);
}

bool LineReader::next(std::string_view& line) {
    for (;;) {
        const char* base = m_buf.data();
        const void* nl = std::memchr(base + m_scan, '\n', m_end - m_scan);
        if (nl != nullptr) {
            const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
            std::size_t len = pos - m_begin;
            const std::size_t start = m_begin;
            m_begin = m_scan = pos + 1;
            if (m_skipping) {  // the tail of an overlong line already returned truncated
                m_skipping = false;
                continue;
            }
            if (len > 0 && base[start + len - 1] == '\r') --len;
            line = std::string_view(base + start, len);
            ++m_line_number;
            return true;
        }
        m_scan = m_end;
        if (m_end - m_begin >= m_max_line) {
            const std::size_t start = m_begin;
            m_begin = m_scan = m_end;  // drop the rest of what is buffered
            if (!m_skipping) {
                m_skipping = true;
                ++m_truncated;
                ++m_line_number;
                line = std::string_view(base + start, m_max_line);
                return true;
            }
            continue;
        }
        if (m_eof || !fill()) {
            m_eof = true;
            if (m_begin == m_end) return false;
            const std::size_t start = m_begin;
            std::size_t len = m_end - m_begin;
            m_begin = m_scan = m_end;
            if (m_skipping) return false;
            if (base[start + len - 1] == '\r') --len;
            line = std::string_view(m_buf.data() + start, len);
            ++m_line_number;
            return true;
        }
    }
}

}  // namespace logad::io
