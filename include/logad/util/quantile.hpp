#pragma once
// The q-quantile (0 <= q <= 1) by linear interpolation between order statistics, numpy's default
// ("linear"), so thresholds and ranges match what a person computes from the same numbers.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace logad::util {

// `v` sorted ascending and not empty.
inline double quantile_of_sorted(const std::vector<double>& v, double q) noexcept {
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Sorts `v` in place; 0 when it is empty.
inline double quantile_of(std::vector<double>& v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return quantile_of_sorted(v, q);
}

}  // namespace logad::util
