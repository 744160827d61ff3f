#pragma once
// Buffered output for NDJSON writers. Records are appended to buffer(); the buffer goes to the
// stream when it is large, or when flush() is called (by the line reader's idle hook, so a
// live pipeline sees each record as soon as input pauses). A closed pipe becomes BrokenPipe.
#include <logad/export.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace logad::io {

class LOGAD_API OutputBuffer {
public:
    static constexpr std::size_t k_flush_at = std::size_t(1) << 16;

    explicit OutputBuffer(std::ostream& out) : m_out(out) { m_buf.reserve(2 * k_flush_at); }
    ~OutputBuffer();  // writes what is left, ignoring errors (call flush() to see them)

    std::string& buffer() noexcept { return m_buf; }
    // Call after each record: writes when the buffer is large.
    void commit() {
        if (m_buf.size() >= k_flush_at) write_out();
    }
    // Writes everything and flushes the stream. Throws BrokenPipe or OutputError.
    void flush();
    // Writes what the buffer holds, then `bytes`, without copying them into the buffer (a block of
    // records written elsewhere: `logad parse --threads`). Throws BrokenPipe or OutputError.
    void write(std::string_view bytes);

private:
    void write_out();
    std::ostream& m_out;
    std::string m_buf;
};

}  // namespace logad::io
