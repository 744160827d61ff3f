// scan: one client with far more warn/error events than any client in training (per window).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class ScanSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::scan; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::window; }
    void check_window(const Tally& t, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        if (b.windows < k_min_windows) return;
        const std::string& span = context.window_span();
        const double bar = std::max(k_scan_factor * b.client_bad_max, b.client_bad_max + k_scan_margin);
        for (const auto& [client, bad] : t.clients) {
            if (bad <= bar) continue;
            Alert& a = context.window_alert(SignalKind::scan, bad / bar, t);
            a.key = client;
            a.value = bad;
            a.reason = fmt::format("client {}: {} warning/error events in {}, training at most {} for any client", client,
                                   bad, span, fmt_num(b.client_bad_max));
            context.raise();
        }
    }
};

}  // namespace

std::unique_ptr<Signal> make_scan_signal() { return std::make_unique<ScanSignal>(); }

}  // namespace logad::pipeline
