#pragma once
// The one table of duration and size units. The masker uses it to tell `512M` (a size) from a
// word, the featurizers to turn `512M` into bytes, and duration flags (`--window 5m`) to read
// minutes: all three agree on what every unit means.
//   durations -> milliseconds: ns us µs ms s sec(s) second(s) m min(s) minute(s) h hr(s) hour(s)
//                              d day(s)
//   sizes -> bytes: B b bytes; K k Ki KiB (1024); KB kB kb (1000); M Mi MiB (1024^2); MB mb (1e6);
//                   G Gi GiB; GB gb; T Ti TiB; TB
// Case matters where it must: `m` is minutes, `M` is mebibytes. A bare K/M/G/T is binary, as in
// `-Xmx512M`, `ls -h` and Kubernetes' `Mi`; KB/MB/GB/TB are decimal.
#include <optional>
#include <string_view>

namespace logad::util {

enum class UnitKind : unsigned char { duration, size };

struct UnitScale {
    UnitKind kind;
    double factor;  // to milliseconds (durations) or bytes (sizes)
};

// The unit spelled exactly `unit`, or nothing.
std::optional<UnitScale> unit_scale(std::string_view unit) noexcept;

struct Quantity {
    double value = 0;                 // in milliseconds or bytes when a unit was given
    std::optional<UnitKind> unit;     // none for a plain number
};

// A number with an optional unit, one space between them allowed: "42", "-3.5", "512M",
// "1.5 GB", "250ms". Anything else ("2005.09.26", "12:30", "1.2.3", "5 apples") is nothing.
std::optional<Quantity> parse_quantity(std::string_view text) noexcept;

}  // namespace logad::util
