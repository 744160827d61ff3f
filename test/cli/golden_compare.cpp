#include "golden_compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace logad::test {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

struct NumberToken {
    std::size_t length = 0;  // 0: no number starts here
    bool fractional = false;  // has a '.' or an exponent
};

// A decimal number starting at `at` that is not glued to a word before it (so `t12` or `v1.2`
// are text): [-]digits[.digits][e[+-]digits].
NumberToken number_at(std::string_view s, std::size_t at) {
    if (at > 0 && (is_word(s[at - 1]) || s[at - 1] == '.')) return {};
    std::size_t i = at;
    if (i < s.size() && s[i] == '-') ++i;
    const std::size_t int_start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == int_start) return {};
    NumberToken t;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
        t.fractional = true;
        for (++i; i < s.size() && is_digit(s[i]);) ++i;
    }
    if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && is_digit(s[j])) {
            t.fractional = true;
            for (i = j; i < s.size() && is_digit(s[i]);) ++i;
        }
    }
    // A number glued to a word after it (`12ms`, `3rd`) is text too, unless its unit is exact text
    // on both sides anyway: the unit is compared byte for byte after the number.
    t.length = i - at;
    return t;
}

double parse_double(std::string_view s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool close_enough(double a, double b, double rtol) {
    if (a == b) return true;
    const double scale = std::max(std::abs(a), std::abs(b));
    if (scale < k_golden_atol) return true;
    return std::abs(a - b) <= rtol * scale;
}

std::size_t line_of(std::string_view s, std::size_t at) {
    return 1 + static_cast<std::size_t>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string_view line_text(std::string_view s, std::size_t at) {
    const std::size_t begin = s.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t from = begin == std::string_view::npos || at == 0 ? 0 : begin + 1;
    const std::size_t end = s.find('\n', at);
    return s.substr(from, (end == std::string_view::npos ? s.size() : end) - from);
}

}  // namespace

std::optional<std::string> golden_difference(std::string_view expected, std::string_view got, double rtol) {
    std::size_t i = 0, j = 0;
    auto differ = [&](std::string_view what) {
        return fmt::format("line {}: {}\n  expected: {}\n  got:      {}", line_of(expected, i), what,
                           line_text(expected, std::min(i, expected.size())), line_text(got, std::min(j, got.size())));
    };
    while (i < expected.size() && j < got.size()) {
        const NumberToken a = number_at(expected, i), b = number_at(got, j);
        if (a.length > 0 && b.length > 0 && (a.fractional || b.fractional)) {
            const std::string_view sa = expected.substr(i, a.length), sb = got.substr(j, b.length);
            if (!close_enough(parse_double(sa), parse_double(sb), rtol))
                return differ(fmt::format("{} vs {} differ by more than the relative tolerance {}", sa, sb, rtol));
            i += a.length;
            j += b.length;
            continue;
        }
        if (expected[i] != got[j]) return differ("text differs");
        ++i;
        ++j;
    }
    if (i < expected.size() || j < got.size()) return differ(i < expected.size() ? "output ends early" : "output is longer");
    return std::nullopt;
}

}  // namespace logad::test
