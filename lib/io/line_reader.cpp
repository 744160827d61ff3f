#include <logad/io/line_reader.hpp>

#include <cstring>
#include <utility>

namespace logad::io {

namespace {
constexpr std::size_t k_chunk = std::size_t(1) << 18;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line)
    : m_source(source), m_max_line(max_line), m_buf(max_line + k_chunk, '\0') {}

bool LineReader::can_read_ahead() const noexcept {
    // The refill next() will do next: the unfinished line moved to the front, the rest read.
    // When that line is already max_line long, next() cuts it instead of reading. Only files
    // (size known): a pipe would block there, holding back the lines already read, and return
    // what it holds then, not what the refill would have found.
    return m_after_run && !m_ahead && !m_eof && !m_skipping && !m_idle && !m_tick && m_end - m_begin < m_max_line &&
           m_source.size_hint() >= 0;
}

void LineReader::read_ahead() noexcept {
    try {
        const std::size_t rest = m_end - m_begin;
        m_ahead_buf.resize(m_buf.size());
        std::memcpy(m_ahead_buf.data(), m_buf.data() + m_begin, rest);
        m_ahead_read = m_source.read(m_ahead_buf.data() + rest, m_ahead_buf.size() - rest);
    } catch (...) {
        m_ahead_read = 0;
        m_ahead_error = std::current_exception();
    }
    m_ahead = true;
}

bool LineReader::fill() {
    m_after_run = false;
    if (m_ahead) {  // read already: take that buffer, as if moved and read here
        m_ahead = false;
        if (m_ahead_error) std::rethrow_exception(std::exchange(m_ahead_error, nullptr));
        m_buf.swap(m_ahead_buf);
        m_end -= m_begin;
        m_scan -= m_begin;
        m_begin = 0;
        m_bytes += m_ahead_read;
        m_end += m_ahead_read;
        return m_ahead_read > 0;
    }
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
            m_after_run = true;
            return true;
        }
    }
    m_after_run = false;
    return next(text);
}

bool LineReader::next(std::string_view& line) {
    m_after_run = false;
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
