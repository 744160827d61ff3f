// sequence: in a session, a template comes before one it always followed in training (per
// session; one alert per session).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class SequenceSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::sequence; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::session; }
    void check_session(const std::string& key, const SessionTrace& s, SignalContext& context) override {
        using namespace signal_bars;
        const Baseline& b = context.baseline();
        for (std::size_t i = 0; i < s.order.size(); ++i)
            for (std::size_t j = i + 1; j < s.order.size(); ++j) {
                const std::uint32_t first = s.order[i], second = s.order[j];  // first came first here
                const std::uint32_t lo = std::min(first, second), hi = std::max(first, second);
                const auto it = b.order.find(pair_key(lo, hi));
                if (it == b.order.end() || it->second.together < k_min_sessions_together) continue;
                const std::uint32_t first_came_first = first == lo ? it->second.a_first : it->second.together - it->second.a_first;
                if (first_came_first != 0) continue;
                const double severity = 1.0 + std::log10(static_cast<double>(it->second.together) / k_min_sessions_together);
                Alert& a = context.session_alert(SignalKind::sequence, severity, key, s);
                a.first_line = s.lines[i];
                a.template_id = first;
                a.reason = fmt::format("in {}, `{}` came before `{}`; it came after it in all {} training sessions with both",
                                       key, context.describe(first), context.describe(second), it->second.together);
                context.raise();
                return;
            }
    }
};

}  // namespace

std::unique_ptr<Signal> make_sequence_signal() { return std::make_unique<SequenceSignal>(); }

}  // namespace logad::pipeline
