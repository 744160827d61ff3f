#pragma once
// The top-level members of a JSON object line, as the JSON format maps them to a Record.
//
// Most JSON log lines are flat or shallow objects: strings, numbers, true/false/null, now and then
// a small nested object or array. scan_shallow_object reads those in one pass without building a
// DOM (the DOM cost 5 of every 6 CPU seconds of `logad parse` on such logs); a nested value is
// kept as the JSON text dump() would write for it. It declines, returning false, whatever it does
// not read exactly as nlohmann's parser and dump() would: nesting deeper than k_max_scan_depth,
// an escaped key inside a nested object, invalid UTF-8, a lone surrogate escape, a number out of
// range, a repeated key (at any level), or anything that is not valid JSON. The caller then
// parses the line with the DOM (json_format.cpp), which gives the same members.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace logad::parse {

enum class JsonKind : std::uint8_t { string, integer, unsigned_integer, floating, literal, composite };

struct JsonMember {
    std::string_view key;    // unescaped
    JsonKind kind = JsonKind::literal;
    // A string unescaped; anything else its JSON text as dump() writes it. For a floating
    // number read by scan_shallow_object both are empty: write_double_like_dump makes the text
    // when it is needed (a time member never needs it, and Grisu2 is the dearest step).
    std::string_view value;
    std::string_view json;   // the value's JSON text as dump() writes it (a string quoted and escaped)
    std::int64_t integer = 0;       // integer and unsigned_integer (the latter cast, as get<int64_t>)
    double floating = 0;            // floating
    bool is_string() const noexcept { return kind == JsonKind::string; }
};

// Objects and arrays nested deeper than this inside a member's value are left to the DOM.
inline constexpr int k_max_scan_depth = 8;

// Reads the object starting at line[0] == '{' into `members` (cleared first). Views point into
// `line` or into `scratch`, which it reuses and which must outlive the members; `nested` is
// scratch space for the text of nested values.
bool scan_shallow_object(std::string_view line, std::vector<JsonMember>& members, std::string& scratch,
                         std::string& nested);

// Appends `text` (valid UTF-8) quoted and escaped exactly as nlohmann's dump() writes a string:
// \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx, everything else as it is.
void append_json_like_dump(std::string& out, std::string_view text);

// Writes a double exactly as nlohmann's dump() writes it (shortest round trip, `1.0` not `1`)
// at dest, which has k_double_room bytes; returns the end.
inline constexpr std::size_t k_double_room = 64;
char* write_double_like_dump(char* dest, double value) noexcept;
void append_double_like_dump(std::string& out, double value);

}  // namespace logad::parse
