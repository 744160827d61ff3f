// status_share: the share of HTTP 5xx, or of 4xx, responses far above training, over all
// requests (key "5xx" or "4xx") and per component when a field names one (per window).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class StatusShareSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::status_share; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::window; }
    void check_window(const Tally& t, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        if (b.statuses.empty()) return;
        const std::string& span = context.window_span();
        const auto judge = [&](const std::string& name, const ShareCount& c) {
            const auto it = b.statuses.find(name);
            if (it == b.statuses.end() || it->second.windows < k_min_windows) return;
            const StatusShare& s = it->second;
            for (const bool server : {true, false}) {  // 5xx first: the one to act on
                const std::uint32_t part = server ? c.c5xx : c.c4xx;
                const double p99 = server ? s.p99_5xx : s.p99_4xx, max = server ? s.max_5xx : s.max_4xx;
                const double sev = share_excess(part, c.requests, p99, max);
                if (sev <= 0) continue;
                Alert& a = context.window_alert(SignalKind::status_share, sev, t);
                // Over all requests the class is the key: an outage is its own incident, not joined
                // to whatever else was open (a keyless record joins the incident seen last).
                a.key = name.empty() ? (server ? "5xx" : "4xx") : name;
                a.value = static_cast<double>(part) / c.requests;
                a.reason = fmt::format("{}{} share {} of {} requests ({:.0f}%) in {}, training at most {}%",
                                       name.empty() ? "" : fmt::format("component {}: ", name), server ? "5xx" : "4xx", part,
                                       c.requests, 100.0 * part / c.requests, span, fmt_num(std::round(1000 * max) / 10));
                context.raise();
            }
        };
        for (const auto& [name, c] : t.components) judge(name, c);
        judge("", t.overall);
    }
};

}  // namespace

std::unique_ptr<Signal> make_status_share_signal() { return std::make_unique<StatusShareSignal>(); }

}  // namespace logad::pipeline
