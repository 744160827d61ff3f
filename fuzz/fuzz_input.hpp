#pragma once
// Helpers shared by the fuzz targets: the fuzzer's bytes as text and split into lines.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace logad::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits on '\n' like io::LineReader (which also drops a trailing '\r').
inline std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

// Crashes (so the fuzzer keeps the input) when a property the code promises does not hold.
#define LOGAD_FUZZ_CHECK(cond)                                                                  \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            __builtin_printf("fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);    \
            __builtin_trap();                                                                  \
        }                                                                                      \
    } while (0)

}  // namespace logad::fuzz
