#include <logad/parse/record_assembler.hpp>

#include <algorithm>

namespace logad::parse {
bool blank_line(std::string_view line) noexcept {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

RecordAssembler::RecordAssembler(const LineFormat& format, Sink<Record>& next, bool multiline,
                                 std::size_t max_record_bytes)
    : m_format(format), m_next(next), m_multiline(multiline), m_max_record_bytes(max_record_bytes) {}

void RecordAssembler::emit() {
    if (!m_have_pending) return;
    m_have_pending = false;
    m_open = false;
    ++m_stats.records;
    if (m_cut) ++m_stats.cut;
    m_cut = false;
    m_next.push(pending());
}

// The parsed line in scratch() becomes the held record.
void RecordAssembler::hold_scratch(bool open) {
    emit();
    m_held = 1 - m_held;
    m_have_pending = true;
    m_open = open;
    if (pending().message.size() > m_max_record_bytes) {
        pending().message.resize(m_max_record_bytes);
        m_cut = true;
    }
}

bool append_within(std::string& message, std::string_view sep, std::string_view text, std::size_t limit) {
    const std::size_t room = message.size() < limit ? limit - message.size() : 0;
    const bool cut = sep.size() + text.size() > room;
    if (cut) {
        if (room <= sep.size()) return true;
        text = text.substr(0, room - sep.size());
    }
    message.append(sep);
    message.append(text);
    return cut;
}

void RecordAssembler::append(std::string_view sep, std::string_view text) {
    ++pending().line_count;
    if (append_within(pending().message, sep, text, m_max_record_bytes)) m_cut = true;
}

void RecordAssembler::push_line(std::string_view line, std::uint64_t line_number) {
    ++m_stats.lines;
    if (blank_line(line)) {
        ++m_stats.empty;
        return;
    }
    scratch().clear();
    scratch().line = line_number;
    const LineResult r = m_format.parse(line, scratch());

    if (m_open && m_have_pending) {
        if (r.kind != LineResult::no_match) {  // the next piece of a partial line
            append({}, scratch().message);
            ++m_stats.continuation_lines;
            m_open = r.kind == LineResult::incomplete;
            if (!m_open && !m_multiline) emit();
            return;
        }
        m_open = false;
    }

    if (r.kind != LineResult::no_match) {
        hold_scratch(r.kind == LineResult::incomplete);
        if (!m_multiline && !m_open) emit();
        return;
    }
    if (m_multiline && m_have_pending) {
        append("\n", line);
        ++m_stats.continuation_lines;
        return;
    }
    ++m_stats.unparsed;
    scratch().clear();
    scratch().line = line_number;
    scratch().message.assign(line);
    hold_scratch(false);
    if (!m_multiline) emit();
}

void RecordAssembler::release() { emit(); }

void RecordAssembler::finish() {
    emit();
    m_next.finish();
}

}  // namespace logad::parse
