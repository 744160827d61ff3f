#pragma once
// Splits a byte source into lines: no terminator, a trailing CR removed, lines longer than
// `max_line` truncated (and counted). Before it would block on a live stream it calls the idle
// hook, which is where writers flush: output goes out as soon as input stops arriving, and not
// line by line while input is piling up.
#include <logad/export.hpp>
#include <logad/io/input.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace logad::io {

class LOGAD_API LineReader {
public:
    static constexpr std::size_t k_default_max_line = std::size_t(1) << 20;  // 1 MiB

    explicit LineReader(ByteSource& source, std::size_t max_line = k_default_max_line);

    // Next line, valid until the next call. False at end of input.
    bool next(std::string_view& line);

    // The next lines as one run of text, valid until the next call; false at end of input. They
    // are the lines next() would return, in order, only not one by one: each ends with its '\n'
    // (a CR before it kept), except a line next() returns alone (the first after a refill, a
    // truncated one, the last one at the end of input), which comes as next() returns it. A
    // reader that finds line ends itself, while parsing, saves a search per line. line_number()
    // counts only the lines that come alone: the caller counts the rest.
    bool next_lines(std::string_view& text);

    // Reading ahead: while the caller still parses the text last returned, another thread may
    // call read_ahead(), which does now the read the next refill would do (the same request, into
    // a second buffer, the unfinished line copied in front), so that refill only swaps buffers.
    // Allowed on a file (a source with a size) after next_lines() returned a run (not a line
    // alone), with no idle hook or tick, before anything else is called: can_read_ahead() says so. An error reading is kept and
    // thrown where the refill would have thrown it.
    bool can_read_ahead() const noexcept;
    void read_ahead() noexcept;

    void set_idle_hook(std::function<void()> hook) { m_idle = std::move(hook); }
    // While waiting for input, calls `tick` every `interval_ms` (live streams: timed windows).
    void set_tick(std::function<void()> tick, int interval_ms) {
        m_tick = std::move(tick);
        m_tick_ms = interval_ms;
    }
    std::uint64_t line_number() const noexcept { return m_line_number; }  // of the last line returned
    std::uint64_t truncated() const noexcept { return m_truncated; }
    std::uint64_t bytes_read() const noexcept { return m_bytes; }

private:
    bool fill();  // reads more bytes; false at end of input

    ByteSource& m_source;
    std::size_t m_max_line;
    std::string m_buf;
    std::size_t m_begin = 0;  // start of unconsumed data in m_buf
    std::size_t m_end = 0;    // end of valid data in m_buf
    std::size_t m_scan = 0;   // where the search for '\n' resumes
    bool m_eof = false;
    bool m_skipping = false;  // dropping the rest of an overlong line
    std::uint64_t m_line_number = 0;
    std::uint64_t m_truncated = 0;
    std::uint64_t m_bytes = 0;
    bool m_after_run = false;     // the last call returned a run, and nothing since moved
    std::string m_ahead_buf;      // read_ahead()'s buffer, swapped in by fill()
    bool m_ahead = false;         // m_ahead_buf holds the next refill
    std::size_t m_ahead_read = 0; // bytes read into it after the unfinished line
    std::exception_ptr m_ahead_error;
    std::function<void()> m_idle;
    std::function<void()> m_tick;
    int m_tick_ms = 1000;
};

}  // namespace logad::io
