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
constexpr UnitKind k_time = UnitKind::duration, k_bytes = UnitKind::size;
constexpr UnitName k_units[] = {
    {"ns", k_time, 1e-6}, {"us", k_time, 1e-3}, {"\xC2\xB5s", k_time, 1e-3}, {"\xCE\xBCs", k_time, 1e-3}, {"ms", k_time, 1},
    {"s", k_time, 1e3}, {"sec", k_time, 1e3}, {"secs", k_time, 1e3}, {"second", k_time, 1e3}, {"seconds", k_time, 1e3},
    {"m", k_time, 6e4}, {"min", k_time, 6e4}, {"mins", k_time, 6e4}, {"minute", k_time, 6e4}, {"minutes", k_time, 6e4},
    {"h", k_time, 3.6e6}, {"hr", k_time, 3.6e6}, {"hrs", k_time, 3.6e6}, {"hour", k_time, 3.6e6}, {"hours", k_time, 3.6e6},
    {"d", k_time, 8.64e7}, {"day", k_time, 8.64e7}, {"days", k_time, 8.64e7},
    {"B", k_bytes, 1}, {"b", k_bytes, 1}, {"bytes", k_bytes, 1}, {"Bytes", k_bytes, 1},
    {"K", k_bytes, k_ki}, {"k", k_bytes, k_ki}, {"Ki", k_bytes, k_ki}, {"KiB", k_bytes, k_ki}, {"KB", k_bytes, 1e3}, {"kB", k_bytes, 1e3}, {"kb", k_bytes, 1e3},
    {"M", k_bytes, k_mi}, {"Mi", k_bytes, k_mi}, {"MiB", k_bytes, k_mi}, {"MB", k_bytes, 1e6}, {"mb", k_bytes, 1e6},
    {"G", k_bytes, k_gi}, {"Gi", k_bytes, k_gi}, {"GiB", k_bytes, k_gi}, {"GB", k_bytes, 1e9}, {"gb", k_bytes, 1e9},
    {"T", k_bytes, k_ti}, {"Ti", k_bytes, k_ti}, {"TiB", k_bytes, k_ti}, {"TB", k_bytes, 1e12},
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
