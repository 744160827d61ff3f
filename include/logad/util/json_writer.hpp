#pragma once
// Appends JSON to a string buffer without building a DOM: the hot path of every NDJSON writer.
// Strings are escaped per RFC 8259; bytes that are not valid UTF-8 become U+FFFD, so any input
// line yields valid JSON.
#include <logad/export.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace logad::util {

// Appends `text` as a quoted JSON string.
LOGAD_API void append_json_string(std::string& out, std::string_view text);

// The most bytes write_json_string can write for `size` bytes of text (every byte \u00XX).
constexpr std::size_t json_string_bound(std::size_t size) noexcept { return 6 * size + 2; }
// Writes `text` as a quoted JSON string at `dest`, which has json_string_bound(text.size())
// bytes of room; returns the end of what was written. For writers that size their buffer once.
char* write_json_string(char* dest, std::string_view text) noexcept;

// Appends a double the way JSON allows: shortest round-trip form, `null` for NaN and infinities.
LOGAD_API void append_json_number(std::string& out, double value);

// True when `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;
// Length of the valid UTF-8 sequence starting at s[i] (i < s.size()), or 0 when it is invalid
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
LOGAD_API std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

// Builds one JSON object in place: `JsonObject o(buf); o.key("a").str("x"); o.close();`.
class LOGAD_API JsonObject {
public:
    explicit JsonObject(std::string& out) : m_out(out) { m_out.push_back('{'); }
    JsonObject& key(std::string_view name) {
        if (m_count++ > 0) m_out.push_back(',');
        append_json_string(m_out, name);
        m_out.push_back(':');
        return *this;
    }
    JsonObject& str(std::string_view value) {
        append_json_string(m_out, value);
        return *this;
    }
    JsonObject& num(double value) {
        append_json_number(m_out, value);
        return *this;
    }
    JsonObject& integer(std::int64_t value);
    JsonObject& time_ms(std::int64_t unix_ms);                 // "2026-11-20T09:07:42.500Z"
    JsonObject& strings(const std::vector<std::string>& values);  // ["a","b"]
    JsonObject& boolean(bool value) {
        m_out += value ? "true" : "false";
        return *this;
    }
    // Appends text that is already valid JSON (a nested object, an array...).
    JsonObject& raw(std::string_view json) {
        m_out += json;
        return *this;
    }
    void close() { m_out.push_back('}'); }

private:
    std::string& m_out;
    int m_count = 0;
};

}  // namespace logad::util
