#pragma once
// Line layouts auto mode knows by name, described as data (lnav keeps its formats as JSON files
// in the same spirit): an anchored RE2 pattern with named groups, mapped to the Record as
// --regex maps them (line_format.hpp), and sample lines that double as tests.
#include <span>
#include <string_view>

namespace logad::parse {

struct KnownLayout {
    std::string_view name;
    std::string_view pattern;     // RE2, matched against the whole line
    std::string_view samples[2];  // lines auto mode must parse with it, finding their time
    bool has_level = false;       // ... and their level
};

// In the order auto mode tries them (lib/parse/known_layouts.cpp).
std::span<const KnownLayout> known_layouts() noexcept;

}  // namespace logad::parse
