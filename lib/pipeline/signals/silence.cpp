// silence: a template at least twice in 99% of training windows is absent for long enough that
// chance cannot explain it (per window).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

#include <unordered_map>

namespace logad::pipeline {
namespace {

// -ln(1e-5): how unlikely (in nats) a silent run must be before it is no accident.
const double k_silence_surprise = std::log(1e5);

class SilenceSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::silence; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::window; }
    void check_window(const Tally& t, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        if (!t.complete || b.windows < k_min_windows) return;
        const std::string& span = context.window_span();
        for (const auto& [id, w] : b.counts) {
            const double presence = static_cast<double>(w.present) / static_cast<double>(b.windows);
            if (presence < k_silence_presence) continue;
            // Present in nearly every window is not enough: a template seen ~5 times a minute
            // at random is absent from a minute now and then. Its count must have been at least
            // k_silence_low in 99% of training windows, so that none at all is no accident.
            if (w.p01 >= 0 && w.p01 < k_silence_low) continue;
            if (t.templates.count(id)) {
                m_runs.erase(id);
                continue;
            }
            Run& run = m_runs[id];
            if (run.windows++ == 0) {
                run.start_ms = t.start_ms;
                run.first_line = t.first_line;
            }
            // Many templates are judged every window, so one empty window is not enough: the
            // run must be long enough that chance explains it less than once in 100,000 runs.
            // The chance of one empty window is the smaller of two estimates: a Poisson stream at
            // the typical rate (exp(-p50)), and the empty windows training had (add-one, so a
            // strictly periodic job that was never missing still needs evidence).
            const double windows = static_cast<double>(b.windows);
            const double empty = std::min(std::exp(-std::max(w.p50, 0.0)), (windows - w.present + 1) / (windows + 2));
            const double surprise = static_cast<double>(run.windows) * -std::log(empty);
            if (surprise < k_silence_surprise) continue;
            Alert& a = context.window_alert(SignalKind::silence, surprise / k_silence_surprise, t);
            a.template_id = id;
            a.start_ms = run.start_ms;
            a.first_line = run.first_line;
            const std::string silent_for = fmt_duration(static_cast<std::int64_t>(run.windows) * b.window_ms);
            a.reason = w.p01 >= 0 ? fmt::format("`{}` silent for {}, typical {} per {} (at least {} in 99% of training windows)",
                                                context.describe(id), silent_for, fmt_num(w.p50), span, fmt_num(std::floor(w.p01)))
                                  : fmt::format("`{}` silent for {}; it appeared in {:.0f}% of training windows, typically {} times per {}",
                                                context.describe(id), silent_for, 100 * presence, fmt_num(w.p50), span);
            context.raise();
        }
    }

private:
    struct Run {  // complete windows in a row without a regular template
        std::uint32_t windows = 0;
        std::int64_t start_ms = 0;
        std::uint64_t first_line = 0;
    };
    std::unordered_map<std::uint32_t, Run> m_runs;
};

}  // namespace

std::unique_ptr<Signal> make_silence_signal() { return std::make_unique<SilenceSignal>(); }

}  // namespace logad::pipeline
