#pragma once
// Which Record member a named field (header field, JSON member, logfmt key, regex group) feeds.
#include <logad/record.hpp>

#include <string_view>

namespace logad::parse {

enum class Role : std::uint8_t { message, level, time, other };

// Case-insensitive. message: content, message, msg. level: level, severity, lvl, loglevel,
// log_level. time: date, time, timestamp, datetime, ts, month, day, year, @timestamp.
Role role_of(std::string_view name) noexcept;

// Appends a field, reusing the capacity of the vector. The new strings are empty: append skips
// assign's checks for a text that overlaps its own (half the cost of a short key).
inline void add_field(Record& out, std::string_view key, std::string_view value, bool json = false) {
    Field& f = out.fields.emplace_back();
    f.key.append(key);
    f.value.append(value);
    f.json = json;
}

// parse_level with a shortcut for the usual spellings (INFO, WARN, ERROR, DEBUG...).
Level level_of(std::string_view text) noexcept;

// ASCII case-insensitive equality; inline, as the JSON format calls it for every member.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

}  // namespace logad::parse
