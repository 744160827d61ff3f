#pragma once
// The bars of the signals, learned values aside, shared by the baseline learner and the signals.
// Chosen so that normal traffic like the training data stays quiet (a burst is several times the
// busiest normal window, not a busy minute).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <fmt/core.h>

namespace logad::pipeline::signal_bars {

inline constexpr double k_burst_factor = 3.0, k_burst_margin = 10.0;
inline constexpr double k_silence_presence = 0.95, k_silence_low = 2.0;
inline constexpr std::uint32_t k_min_windows = 20;
inline constexpr std::uint32_t k_shift_min_events = 10, k_shift_min_bad = 5;
inline constexpr double k_shift_factor = 2.0, k_shift_margin = 0.2;
inline constexpr double k_scan_factor = 3.0, k_scan_margin = 20.0;
inline constexpr std::uint32_t k_min_sessions_together = 10;
inline constexpr double k_param_spreads = 3.0;
inline constexpr std::size_t k_max_pairs = 1u << 20;

inline std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

// A share (of warnings/errors, of 5xx or 4xx responses) judged like a count: enough events in
// the window to judge, and far above both the training p99 and the training maximum.
inline double share_excess(std::uint32_t part, std::uint32_t whole, double p99, double max) {
    if (whole < k_shift_min_events || part < k_shift_min_bad) return 0;
    const double share = static_cast<double>(part) / whole;
    const double bar = std::min(1.0, std::max(k_shift_factor * p99, p99 + k_shift_margin));
    if (share <= bar || share <= max) return 0;
    return share / std::max(bar, 1e-9);
}

// Numbers and durations as reasons write them.
inline std::string fmt_num(double v) {
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(v)));
    return fmt::format("{:.4g}", v);
}

inline std::string fmt_duration(std::int64_t ms) {
    if (ms % 3600000 == 0) return fmt::format("{} h", ms / 3600000);
    if (ms % 60000 == 0 && ms >= 120000) return fmt::format("{} min", ms / 60000);
    if (ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
    return fmt::format("{} ms", ms);
}

inline std::string short_text(const std::string& text) { return text.size() <= 80 ? text : text.substr(0, 77) + "..."; }

}  // namespace logad::pipeline::signal_bars
