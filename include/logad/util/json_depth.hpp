#pragma once
// JSON nested thousands of levels deep ([[[[...]]]] on one line) is valid JSON, and nlohmann
// parses it, but serialising it again (dump(), used for fields and messages) recurses once per
// level and overflows the stack. Readers of untrusted lines and files check the depth first and
// refuse such input as a per-line problem or a damaged file.
#include <string_view>

namespace logad::util {

inline constexpr int k_max_json_depth = 256;

// True when `text` opens more than `max_depth` arrays/objects at once (brackets inside strings
// do not count). Does not validate the JSON; a linear scan, no allocation.
bool json_too_deep(std::string_view text, int max_depth = k_max_json_depth) noexcept;

}  // namespace logad::util
