// new_template: a template never seen in training (per line).
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

class NewTemplateSignal final : public Signal {
public:
    SignalKind kind() const noexcept override { return SignalKind::new_template; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::line; }
    bool check_line(const Event& e, SignalContext& context) override {
        if (context.space().knows(e.template_id)) return false;
        Alert& a = context.line_alert(SignalKind::new_template, 2.0, e);
        a.reason = fmt::format("template `{}` never seen in training", signal_bars::short_text(e.template_text));
        context.raise();
        return true;
    }
};

}  // namespace

std::unique_ptr<Signal> make_new_template_signal() { return std::make_unique<NewTemplateSignal>(); }

}  // namespace logad::pipeline
