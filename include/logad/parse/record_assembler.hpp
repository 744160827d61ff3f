#pragma once
// Lines -> Records. Lines that the format does not match are continuation lines (stack traces
// and the like) folded into the record before them, unless multiline is off; then they become
// unparsed records whose whole text is the message.
//  - Empty and whitespace-only lines are skipped (counted in `empty`).
//  - A continuation is appended to the held record's message after "\n"; its line_count grows.
//    Text past max_record_bytes is dropped (the record is counted once in `cut`).
//  - A no-match with nothing held (the first line, or after release()) becomes an unparsed record
//    whose message is the whole line; later continuations fold into it.
//  - An "incomplete" result (CRI partial line) is held open: the next parsed line's message is
//    appended to it with no separator, until a complete one closes it.
//  - With multiline on, a record is held until the next record starts, release() or finish();
//    with it off, a record is passed on at once (except an open incomplete one).
#include <logad/export.hpp>
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
    std::uint64_t cut = 0;       // records cut at max_record_bytes (the rest of their text dropped)

    ParseStats& operator+=(const ParseStats& o) noexcept {
        lines += o.lines;
        records += o.records;
        continuation_lines += o.continuation_lines;
        unparsed += o.unparsed;
        empty += o.empty;
        cut += o.cut;
        return *this;
    }
    // The lines counted between two readings of one assembler's figures.
    friend ParseStats operator-(const ParseStats& a, const ParseStats& b) noexcept {
        return {a.lines - b.lines, a.records - b.records, a.continuation_lines - b.continuation_lines,
                a.unparsed - b.unparsed, a.empty - b.empty, a.cut - b.cut};
    }
};

// A line of spaces and control whitespace only: what the assembler skips (counted in `empty`).
LOGAD_API bool blank_line(std::string_view line) noexcept;

// Appends `sep` and `text` to a record's message, cut so the message stays within `limit`
// bytes; true when something was cut. Shared by every assembler so they cut alike.
LOGAD_API bool append_within(std::string& message, std::string_view sep, std::string_view text, std::size_t limit);

class LOGAD_API RecordAssembler {
public:
    RecordAssembler(const LineFormat& format, Sink<Record>& next, bool multiline = true,
                    std::size_t max_record_bytes = std::size_t(1) << 20);

    // `line_number` is the 1-based physical line.
    void push_line(std::string_view line, std::uint64_t line_number);
    // Emits the record still held (the last one may have pending continuation lines).
    void finish();
    // True when a record is held back waiting for possible continuation lines.
    bool holding() const noexcept { return m_have_pending; }
    // True when the held record is incomplete: the next parsed line continues its message.
    bool open() const noexcept { return m_open; }
    // Emits the held record now (a live stream paused: no continuation is coming soon).
    void release();

    const ParseStats& stats() const noexcept { return m_stats; }

private:
    const LineFormat& m_format;
    Sink<Record>& m_next;
    bool m_multiline;
    std::size_t m_max_record_bytes;
    // The held record and the one the next line is parsed into; they trade roles by index, not
    // by swapping their contents (a swap of two records was a tenth of a line's bookkeeping).
    Record m_records[2];
    int m_held = 0;
    Record& pending() noexcept { return m_records[m_held]; }
    Record& scratch() noexcept { return m_records[1 - m_held]; }
    bool m_have_pending = false;
    bool m_open = false;  // the held record is incomplete: the next line continues its message
    bool m_cut = false;   // the held record reached max_record_bytes

    void emit();
    void hold_scratch(bool open);
    void append(std::string_view sep, std::string_view text);
    ParseStats m_stats;
};

}  // namespace logad::parse
