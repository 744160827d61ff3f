#pragma once
// Lines -> Records. Lines that the format does not match are continuation lines (stack traces
// and the like) folded into the record before them, unless multiline is off; then they become
// unparsed records whose whole text is the message.
#include <logad/parse/line_format.hpp>
#include <logad/stage.hpp>

#include <cstdint>

namespace logad::parse {

struct ParseStats {
    std::uint64_t lines = 0;
    std::uint64_t records = 0;
    std::uint64_t continuation_lines = 0;
    std::uint64_t unparsed = 0;  // lines no format matched that could not be folded
    std::uint64_t empty = 0;     // blank lines skipped
};

class RecordAssembler {
public:
    RecordAssembler(const LineFormat& format, Sink<Record>& next, bool multiline = true,
                    std::size_t max_record_bytes = std::size_t(1) << 20);

    // `line_number` is the 1-based physical line.
    void push_line(std::string_view line, std::uint64_t line_number);
    // Emits the record still held (the last one may have pending continuation lines).
    void finish();
    // True when a record is held back waiting for possible continuation lines.
    bool holding() const noexcept { return m_have_pending; }
    // Emits the held record now (a live stream paused: no continuation is coming soon).
    void release();

    const ParseStats& stats() const noexcept { return m_stats; }

private:
    const LineFormat& m_format;
    Sink<Record>& m_next;
    bool m_multiline;
    std::size_t m_max_record_bytes;
    Record m_pending;
    Record m_scratch;
    bool m_have_pending = false;
    ParseStats m_stats;
};

}  // namespace logad::parse
