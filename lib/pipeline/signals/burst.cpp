// burst: a template far more often in a window than in training (per window).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class BurstSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::burst; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::window; }
    void check_window(const Tally& t, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        const std::string& span = context.window_span();
        for (const auto& [id, n] : t.templates) {
            const auto it = b.counts.find(id);
            if (it == b.counts.end()) continue;  // new templates have their own signal
            const WindowCounts& w = it->second;
            const double bar = std::max(k_burst_factor * w.p99, w.p99 + k_burst_margin);
            if (n <= bar || n <= w.max) continue;
            Alert& a = context.window_alert(SignalKind::burst, n / bar, t);
            a.template_id = id;
            a.first_line = t.first_line_of.at(id);
            a.value = n;
            a.reason = fmt::format("`{}` {} times in {}, typical {} (training p99 {}, max {})", context.describe(id), n, span,
                                   fmt_num(w.p50), fmt_num(w.p99), fmt_num(w.max));
            context.raise();
        }
    }
};

}  // namespace

std::unique_ptr<Signal> make_burst_signal() { return std::make_unique<BurstSignal>(); }

}  // namespace logad::pipeline
