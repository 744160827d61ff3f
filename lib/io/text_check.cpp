// Telling a text log from a binary file on the first block read, as grep and ripgrep do (they
// stop at a NUL byte). Logs do carry a few stray NULs and bytes that are not UTF-8 (a crash
// that zero-filled a block, a Latin-1 user name); those are counted per line later, so only a
// share above what a text log plausibly carries refuses the input.
#include <logad/util/json_writer.hpp>
#include <logad/io/input.hpp>

#include <fmt/core.h>

namespace logad::io {
namespace {

constexpr std::size_t k_min_nul_block = 64;    // fewer bytes than this: too little to judge by NULs
constexpr std::size_t k_min_text_block = 512;  // ... by the share of non-text bytes

bool is_text_control(unsigned char c) noexcept {
    return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1B;  // ESC: ANSI colours
}

}  // namespace

std::string why_not_text(std::string_view block, bool complete) {
    const auto starts = [&](std::string_view p) { return block.substr(0, p.size()) == p; };
    if (starts("\xFF\xFE") || starts("\xFE\xFF"))
        return fmt::format("looks like UTF-16 text (byte order mark {}); convert it to UTF-8 first, e.g. "
                           "iconv -f UTF-16 -t UTF-8",
                           starts("\xFF\xFE") ? "FF FE" : "FE FF");
    // A block cut at its end may split a UTF-8 sequence: do not count the last 3 bytes as bad.
    const std::size_t judged = complete || block.size() < 3 ? block.size() : block.size() - 3;
    std::size_t nuls = 0, first_nul = 0, bad = 0, first_bad = 0;
    for (std::size_t i = 0; i < judged;) {
        const auto c = static_cast<unsigned char>(block[i]);
        if (c == 0 && nuls++ == 0) first_nul = i;
        if ((c < 0x20 && !is_text_control(c)) || c == 0x7F) {
            if (bad++ == 0) first_bad = i;
            ++i;
            continue;
        }
        const std::size_t n = util::utf8_sequence_length(block, i);
        if (n == 0) {
            if (bad++ == 0) first_bad = i;
            ++i;
        } else {
            i += n;
        }
    }
    if (judged >= k_min_nul_block && nuls * 100 > judged)
        return fmt::format("looks binary (NUL bytes at offset {}, {} in its first {} bytes)", first_nul, nuls,
                           block.size());
    if (judged >= k_min_text_block && bad * 100 > judged * 30)
        return fmt::format("looks binary ({}% of its first {} bytes are not UTF-8 text, from offset {})",
                           bad * 100 / judged, block.size(), first_bad);
    return {};
}

}  // namespace logad::io
