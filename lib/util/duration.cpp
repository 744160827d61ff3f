#include <logad/util/duration.hpp>

#include <logad/error.hpp>
#include <logad/util/units.hpp>

#include <charconv>
#include <cmath>
#include <fmt/core.h>

namespace logad::util {

std::int64_t parse_duration_ms(std::string_view text, std::string_view what) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const std::string_view unit(ptr, static_cast<std::size_t>(text.data() + text.size() - ptr));
    double factor = 0;  // a bare number is seconds; units are the ones every part of logad reads
    if (unit.empty()) factor = 1000;
    else if (const auto scale = unit_scale(unit); scale && scale->kind == UnitKind::duration) factor = scale->factor;
    const double ms = value * factor;
    if (ec != std::errc() || factor == 0 || !std::isfinite(ms))
        throw UsageError(fmt::format("{} '{}' is not a duration; write e.g. 500ms, 30s, 5m, 2h", what, text));
    if (!(ms > 0)) throw UsageError(fmt::format("{} '{}' must be above zero; write e.g. 500ms, 30s, 5m, 2h", what, text));
    if (ms < 1) throw UsageError(fmt::format("{} '{}' is below 1ms, the finest step logad counts", what, text));
    if (ms > 1e15) throw UsageError(fmt::format("{} '{}' is too long (over 30,000 years)", what, text));
    return static_cast<std::int64_t>(std::llround(ms));
}

std::string format_duration_ms(std::int64_t ms) {
    if (ms != 0 && ms % 3600000 == 0) return fmt::format("{} h", ms / 3600000);
    if (ms != 0 && ms % 60000 == 0) return fmt::format("{} min", ms / 60000);
    if (ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
    return fmt::format("{} ms", ms);
}

}  // namespace logad::util
