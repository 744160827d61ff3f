#pragma once
// The hot loop JSON strings share: the length of a leading run of bytes that need no attention
// (not '"', '\\', below 0x20 or from 0x80), sixteen bytes at a time with SSE2, then eight
// (SWAR), then one by one. The writer copies such runs as they are (json_writer.hpp) and the flat
// object scanner reads them (lib/parse/json_members.cpp). Inline: it runs per string.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace logad::util {
namespace json_run_detail {

constexpr std::array<bool, 256> make_care() {
    std::array<bool, 256> d{};
    for (int c = 0; c < 256; ++c) d[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    return d;
}
inline constexpr std::array<bool, 256> k_care = make_care();

}  // namespace json_run_detail

inline std::size_t json_plain_run(const char* p, std::size_t n) noexcept {
    constexpr std::uint64_t k_ones = 0x0101010101010101ull, k_high = 0x8080808080808080ull;
    std::size_t i = 0;
#ifdef __SSE2__
    // sixteen at a time: a signed compare below 0x20 also catches every byte from 0x80
    for (; i + 16 <= n; i += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const __m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                                         _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                                      _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
        if (const auto bits = static_cast<unsigned>(_mm_movemask_epi8(bad)); bits != 0)
            return i + static_cast<std::size_t>(__builtin_ctz(bits));
    }
#endif
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        const std::uint64_t quote = w ^ (k_ones * '"'), slash = w ^ (k_ones * '\\');
        // (x - 1) & ~x has the high bit set in a byte that was zero (and only past one that was)
        const std::uint64_t bad = w | ((w - k_ones * 0x20) & ~w) | ((quote - k_ones) & ~quote) |
                                  ((slash - k_ones) & ~slash);
        if (bad & k_high) break;
    }
    while (i < n && !json_run_detail::k_care[static_cast<unsigned char>(p[i])]) ++i;
    return i;
}

}  // namespace logad::util
