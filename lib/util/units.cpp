#include <logad/util/units.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace logad::util {
namespace {

struct UnitName {
    std::string_view name;
    UnitKind kind;
    double factor;
};

constexpr double k_ki = 1024.0, k_mi = k_ki * 1024, k_gi = k_mi * 1024, k_ti = k_gi * 1024;
constexpr UnitKind D = UnitKind::duration, S = UnitKind::size;
constexpr UnitName k_units[] = {
    {"ns", D, 1e-6}, {"us", D, 1e-3}, {"\xC2\xB5s", D, 1e-3}, {"\xCE\xBCs", D, 1e-3}, {"ms", D, 1},
    {"s", D, 1e3}, {"sec", D, 1e3}, {"secs", D, 1e3}, {"second", D, 1e3}, {"seconds", D, 1e3},
    {"m", D, 6e4}, {"min", D, 6e4}, {"mins", D, 6e4}, {"minute", D, 6e4}, {"minutes", D, 6e4},
    {"h", D, 3.6e6}, {"hr", D, 3.6e6}, {"hrs", D, 3.6e6}, {"hour", D, 3.6e6}, {"hours", D, 3.6e6},
    {"d", D, 8.64e7}, {"day", D, 8.64e7}, {"days", D, 8.64e7},
    {"B", S, 1}, {"b", S, 1}, {"bytes", S, 1}, {"Bytes", S, 1},
    {"K", S, k_ki}, {"k", S, k_ki}, {"Ki", S, k_ki}, {"KiB", S, k_ki}, {"KB", S, 1e3}, {"kB", S, 1e3}, {"kb", S, 1e3},
    {"M", S, k_mi}, {"Mi", S, k_mi}, {"MiB", S, k_mi}, {"MB", S, 1e6}, {"mb", S, 1e6},
    {"G", S, k_gi}, {"Gi", S, k_gi}, {"GiB", S, k_gi}, {"GB", S, 1e9}, {"gb", S, 1e9},
    {"T", S, k_ti}, {"Ti", S, k_ti}, {"TiB", S, k_ti}, {"TB", S, 1e12},
};

// First bytes any unit can start with: most words are rejected with one load.
constexpr std::array<bool, 256> make_first() {
    std::array<bool, 256> d{};
    for (const UnitName& u : k_units) d[static_cast<unsigned char>(u.name[0])] = true;
    return d;
}
constexpr std::array<bool, 256> k_first = make_first();

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<UnitScale> unit_scale(std::string_view unit) noexcept {
    if (unit.empty() || unit.size() > 7 || !k_first[static_cast<unsigned char>(unit[0])]) return {};
    for (const UnitName& u : k_units)
        if (u.name == unit) return UnitScale{u.kind, u.factor};
    return {};
}

std::optional<Quantity> parse_quantity(std::string_view text) noexcept {
    // [+-]?\d+(\.\d+)? : no exponent, no second dot (a version or a date is not a quantity)
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    const std::size_t digits_begin = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == digits_begin) return {};
    if (i + 1 < text.size() && text[i] == '.' && is_digit(text[i + 1])) {
        ++i;
        while (i < text.size() && is_digit(text[i])) ++i;
    }
    const std::size_t number_end = i;
    double value = 0;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(begin, text.data() + number_end, value);
    if (ec != std::errc() || ptr != text.data() + number_end || !std::isfinite(value)) return {};
    if (i < text.size() && text[i] == ' ') ++i;
    const std::string_view unit = text.substr(i);
    if (unit.empty()) return i == number_end ? std::optional<Quantity>(Quantity{value, {}}) : std::nullopt;
    const auto scale = unit_scale(unit);
    if (!scale) return {};
    return Quantity{value * scale->factor, scale->kind};
}

}  // namespace logad::util
