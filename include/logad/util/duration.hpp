#pragma once
#include <logad/export.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace logad::util {

// "250ms", "30s", "5m", "2h", "1d" (a bare number is seconds) -> milliseconds.
// Throws UsageError naming `what` (e.g. "--window") when the text is not a positive duration.
LOGAD_API std::int64_t parse_duration_ms(std::string_view text, std::string_view what);
// The other way, in the largest unit that divides it: "2 h", "5 min", "10 s", "250 ms".
LOGAD_API std::string format_duration_ms(std::int64_t ms);

}  // namespace logad::util
