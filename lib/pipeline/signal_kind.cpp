#include <logad/pipeline/signal_kind.hpp>

#include <array>
#include <utility>

namespace logad::pipeline {
namespace {

// The wire names, in enum order.
constexpr std::array<std::pair<SignalKind, std::string_view>, 9> k_signal_names{{
    {SignalKind::new_template, "new_template"},
    {SignalKind::param_range, "param_range"},
    {SignalKind::field_range, "field_range"},
    {SignalKind::burst, "burst"},
    {SignalKind::silence, "silence"},
    {SignalKind::level_shift, "level_shift"},
    {SignalKind::scan, "scan"},
    {SignalKind::status_share, "status_share"},
    {SignalKind::sequence, "sequence"},
}};

constexpr std::array<SignalKind, k_signal_names.size()> k_signal_kinds = [] {
    std::array<SignalKind, k_signal_names.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = k_signal_names[i].first;
    return out;
}();

}  // namespace

std::span<const SignalKind> all_signal_kinds() noexcept { return k_signal_kinds; }

std::string_view signal_name(SignalKind kind) noexcept {
    for (const auto& [k, name] : k_signal_names)
        if (k == kind) return name;
    return "unknown";
}

std::optional<SignalKind> signal_from_name(std::string_view name) noexcept {
    for (const auto& [k, n] : k_signal_names)
        if (n == name) return k;
    return {};
}

std::string signal_detector(SignalKind kind) {
    std::string out(k_signal_prefix);
    out += signal_name(kind);
    return out;
}

std::optional<SignalKind> signal_of_detector(std::string_view detector) noexcept {
    if (!is_signal_detector(detector)) return {};
    return signal_from_name(detector.substr(k_signal_prefix.size()));
}

}  // namespace logad::pipeline
