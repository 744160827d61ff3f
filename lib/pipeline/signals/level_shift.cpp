// level_shift: a component's share of warnings/errors far above training; events that name no
// component are judged together; events with an HTTP status are left to status_share (per window).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class LevelShiftSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::level_shift; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::window; }
    void check_window(const Tally& t, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        const std::string& span = context.window_span();
        const auto alert = [&](double severity, const std::string& key, double share, std::string reason) {
            Alert& a = context.window_alert(SignalKind::level_shift, severity, t);
            a.value = share;
            a.key = key;
            a.reason = std::move(reason);
            context.raise();
        };
        const auto reason = [&](std::uint32_t bad, std::uint32_t n, double max) {
            return fmt::format("{} of {} events ({:.0f}%) were warnings or errors in {}, training at most {:.0f}%", bad, n,
                               100.0 * bad / n, span, 100 * max);
        };
        for (const auto& [name, c] : t.components) {
            const auto it = b.components.find(name);
            if (it == b.components.end() || it->second.windows < k_min_windows) continue;
            if (const double sev = share_excess(c.bad, c.events, it->second.p99, it->second.max); sev > 0)
                alert(sev, name, static_cast<double>(c.bad) / c.events,
                      fmt::format("component {}: {}", name, reason(c.bad, c.events, it->second.max)));
        }
        const ComponentShare& o = b.overall;
        if (o.windows >= k_min_windows)
            if (const double sev = share_excess(t.overall.bad, t.overall.events, o.p99, o.max); sev > 0)
                alert(sev, "", static_cast<double>(t.overall.bad) / t.overall.events, reason(t.overall.bad, t.overall.events, o.max));
    }
};

}  // namespace

std::unique_ptr<Signal> make_level_shift_signal() { return std::make_unique<LevelShiftSignal>(); }

}  // namespace logad::pipeline
