#pragma once
#include <cstdint>
#include <string_view>

namespace logad::util {

// "250ms", "30s", "5m", "2h", "1d" (a bare number is seconds) -> milliseconds.
// Throws UsageError naming `what` (e.g. "--window") when the text is not a positive duration.
std::int64_t parse_duration_ms(std::string_view text, std::string_view what);

}  // namespace logad::util
