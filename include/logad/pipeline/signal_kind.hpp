#pragma once
// The kinds of signal (signals.hpp says what each judges) and their one name table. On the wire a
// signal's record names its detector "signal:<name>" (score_record.hpp); in memory it is a kind.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace logad::pipeline {

// In the order a checker asks them, which is the order their alerts on one line, window or
// session come out.
enum class SignalKind : std::uint8_t {
    new_template,
    param_range,
    field_range,
    burst,
    silence,
    level_shift,
    scan,
    status_share,
    sequence,
};

std::span<const SignalKind> all_signal_kinds() noexcept;  // in enum order
std::string_view signal_name(SignalKind kind) noexcept;        // "burst"
std::optional<SignalKind> signal_from_name(std::string_view name) noexcept;

// A score record's detector for a signal, "signal:burst", and back: the kind a detector name
// stands for, none for a model's detector ("iforest"), "feedback" or an unknown signal.
inline constexpr std::string_view k_signal_prefix = "signal:";
std::string signal_detector(SignalKind kind);
std::optional<SignalKind> signal_of_detector(std::string_view detector) noexcept;
inline bool is_signal_detector(std::string_view detector) noexcept { return detector.starts_with(k_signal_prefix); }

}  // namespace logad::pipeline
