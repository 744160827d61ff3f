// param_range and field_range: a measurement, or a counter's rate, far outside its training
// range, in a message's parameters or in a record's numeric fields (per line). The first
// reading far out is enough to act on.
#include <logad/pipeline/signal.hpp>

#include "signal_bars.hpp"

namespace logad::pipeline {
namespace {

// In spreads beyond the training extremes; 0 within them.
double far_out_of_range(const featurize::ParamReading& reading) {
    const featurize::Spread& r = *reading.range;
    const double v = reading.value;
    if (v > r.max) return (v - r.p99) / r.width();
    if (v < r.min) return (r.p01 - v) / r.width();
    return 0.0;
}

class ValueRangeSignal final : public Signal {
public:
    explicit ValueRangeSignal(bool fields) : m_fields(fields) {}
    SignalKind kind() const noexcept override { return m_fields ? SignalKind::field_range : SignalKind::param_range; }
    featurize::Granularity per() const noexcept override { return featurize::Granularity::line; }

    bool check_line(const Event& e, SignalContext& context) override {
        using signal_bars::k_param_spreads;
        if (!m_fields) {
            for (const featurize::ParamReading& reading : context.readings().params(e))
                if (const double d = far_out_of_range(reading); d > k_param_spreads)
                    return report(e, reading, d, e.params[reading.position].value, context);
            return false;
        }
        for (const featurize::ParamReading& reading : context.readings().fields(e))
            if (const double d = far_out_of_range(reading); d > k_param_spreads) {
                const auto p = featurize::field_param(e.record.fields[reading.position]);
                return report(e, reading, d, p ? p->value : signal_bars::fmt_num(reading.value), context);
            }
        return false;
    }

private:
    bool report(const Event& e, const featurize::ParamReading& reading, double d, const std::string& written,
                SignalContext& context) const {
        const featurize::Spread& r = *reading.range;
        const double v = reading.value;
        Alert& a = context.line_alert(kind(), d / signal_bars::k_param_spreads, e);
        // What a verdict on this alert is scoped to: a parameter's slot (a field has its name).
        a.slot = reading.field ? -1 : static_cast<int>(reading.position);
        a.value = v;
        const bool low = v < r.min;
        // A measurement is quoted as written (`512M`); a rate is a number logad computed.
        const std::string value = reading.rate() ? signal_bars::fmt_num(v) : written;
        a.reason = fmt::format("{} of `{}` = {}, training {} = {} (range {} to {})", featurize::reading_subject(reading),
                               signal_bars::short_text(e.template_text), value, low ? "p1" : "p99",
                               signal_bars::fmt_num(low ? r.p01 : r.p99), signal_bars::fmt_num(r.min),
                               signal_bars::fmt_num(r.max));
        context.raise();
        return true;
    }
    bool m_fields;
};

}  // namespace

std::unique_ptr<Signal> make_value_range_signal(bool fields) { return std::make_unique<ValueRangeSignal>(fields); }

}  // namespace logad::pipeline
