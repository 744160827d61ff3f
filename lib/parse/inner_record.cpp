#include "inner_record.hpp"

#include "formats.hpp"

namespace logad::parse {

const LineFormat& InnerRecord::format() const {
    if (!m_format) m_format = make_inner_auto_format(m_time);
    return *m_format;
}

void InnerRecord::merge(std::string_view text, Record& out) const {
    m_scratch.clear();
    // A payload auto mode calls a continuation (an indented stack frame) is still this record's text.
    if (text.empty() || format().parse(text, m_scratch).kind == LineResult::no_match) {
        out.message.assign(text);
        return;
    }
    out.message = std::move(m_scratch.message);
    if (m_scratch.level != Level::unknown) out.level = m_scratch.level;
    if (m_scratch.has_time()) out.ts_ms = m_scratch.ts_ms;
    for (Field& f : m_scratch.fields) out.fields.push_back(std::move(f));
}

}  // namespace logad::parse
