// Reasons for a detector's verdict: the features furthest from their training values, said in
// words. Distance is |value - training median| / robust spread, or the detector's own
// per-feature contribution when it has one (the autoencoder's reconstruction errors).
//
// Every reason names a concrete quantity, its value in this row and what training held (the
// median and the range, a share, or a count); a feature that cannot be said so (the hashed
// columns of a template's words) speaks through the template's training count, or not at all.
#include <logad/pipeline/scorer.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace logad::pipeline {
namespace {

using featurize::Granularity;

std::string num(double v) {
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(v)));
    return fmt::format("{:.3g}", v);
}

// A share as a percentage a person reads at a glance: 12%, 0.4%, 0.002%.
std::string share_text(double share) {
    const double p = 100 * share;
    if (p >= 10 || p == 0) return fmt::format("{:.0f}%", p);
    return fmt::format("{:.2g}%", p);
}

std::string template_text(const PipelineModel& m, std::uint32_t id) {
    const auto it = m.space.templates.find(id);
    if (it == m.space.templates.end()) return fmt::format("#{}", id);
    const std::string& t = it->second.text;
    return t.size() <= 80 ? t : t.substr(0, 77) + "...";
}

std::string span_words(const PipelineModel& m, Granularity per) {
    if (per == Granularity::session) return "in the session";
    const std::int64_t ms = m.train.window_ms;
    if (ms % 60000 == 0 && ms >= 120000) return fmt::format("in {} min", ms / 60000);
    if (ms % 1000 == 0) return fmt::format("in {} s", ms / 1000);
    return fmt::format("in {} ms", ms);
}

// One column of a row against training, with `to_unit` turning stored values back into the
// unit a person reads (message lengths and gaps are stored as log1p).
struct Column {
    const Part& part;
    std::size_t i;
    double value;
    double (*to_unit)(double) = [](double x) { return x; };

    double now() const { return to_unit(value); }
    // "training median 80, range 12 to 1500" (the range when the model holds it).
    std::string training(const char* unit = "") const {
        const std::string median = fmt::format("training median {}{}", num(to_unit(part.center[i])), unit);
        if (part.low.size() <= i) return median;
        return fmt::format("{}, range {} to {}{}", median, num(to_unit(part.low[i])), num(to_unit(part.high[i])), unit);
    }
};

double from_log1p(double x) { return std::expm1(x); }

// The template's training count: concrete for every line, whatever column pointed at it.
std::string template_reason(const PipelineModel& m, std::uint32_t id) {
    const std::string t = template_text(m, id);
    const auto it = m.space.templates.find(id);
    if (it == m.space.templates.end()) return fmt::format("template `{}` never seen in {} training lines", t, m.space.n_events);
    const double share = m.space.n_events ? static_cast<double>(it->second.count) / static_cast<double>(m.space.n_events) : 0;
    return fmt::format("template `{}` seen {} times in {} training lines ({})", t, it->second.count, m.space.n_events,
                       share_text(share));
}

std::string say_line(const PipelineModel& m, const featurize::FeatureRow& row, const std::string& name, const Column& c) {
    const std::string t = template_text(m, row.template_id);
    const double typical = c.part.center[c.i];
    if (name == "rarity" || name == "new_template" || name.rfind("template_hash:", 0) == 0 ||
        name.rfind("tfidf_hash:", 0) == 0)
        return template_reason(m, row.template_id);
    if (name.rfind("level:", 0) == 0) {
        // A level the line does not have (v below typical) is no reason anyone can act on; nor
        // is a share training did not keep.
        if (c.value <= typical || c.part.mean.size() <= c.i || c.part.rows == 0) return {};
        const double share = c.part.mean[c.i];
        return fmt::format("level {}: {} of {} training lines had it ({})", name.substr(6),
                           num(std::round(share * static_cast<double>(c.part.rows))), c.part.rows, share_text(share));
    }
    if (name == "log_message_length") return fmt::format("message of {} bytes, {}", num(c.now()), c.training(" bytes"));
    if (name == "log_gap_same_template")
        return fmt::format("`{}` came {} s after the previous one, {}", t, num(c.now()), c.training(" s"));
    if (name == "param_out_of_range") {
        const featurize::ParamRange* slot = nullptr;
        if (row.worst_field != nullptr) {
            const auto it = m.space.fields.find(*row.worst_field);
            if (it != m.space.fields.end()) slot = &it->second;
        } else if (row.worst_param >= 0) {
            slot = m.space.range_of(row.template_id, static_cast<std::size_t>(row.worst_param));
        }
        const featurize::Spread* r = slot == nullptr ? nullptr : slot->judged();
        if (r == nullptr) return {};
        const featurize::ParamReading reading{static_cast<std::size_t>(row.worst_param), row.worst_param_value, slot, r,
                                              row.worst_field};
        const bool low = row.worst_param_value < r->p01;
        return fmt::format("{} of `{}` = {}, training {} = {} (range {} to {})", featurize::reading_subject(reading), t,
                           num(row.worst_param_value), low ? "p1" : "p99", num(low ? r->p01 : r->p99), num(r->min),
                           num(r->max));
    }
    if (name == "params") {
        if (c.part.low.size() > c.i && c.part.low[c.i] == c.part.high[c.i])
            return fmt::format("{} parameters expected, {} found", num(c.part.low[c.i]), num(c.value));
        return fmt::format("{} parameters, {}", num(c.value), c.training());
    }
    return {};
}

std::string say_span(const PipelineModel& m, const Part& part, const std::string& name, const Column& c) {
    const std::string span = span_words(m, part.per);
    if (name == "events") return fmt::format("{} events {}, {}", num(c.value), span, c.training());
    if (name == "distinct_templates") return fmt::format("{} distinct templates {}, {}", num(c.value), span, c.training());
    if (name == "new_templates") return fmt::format("{} never-seen templates {}, none in training", num(c.value), span);
    if (name == "duration_s") return fmt::format("the session lasted {} s, {}", num(c.value), c.training(" s"));
    if (name.rfind("level:", 0) == 0)
        return fmt::format("{} {} events {}, {}", num(c.value), name.substr(6), span, c.training());
    if (name == "count:unseen")
        return fmt::format("{} events of rare or new templates {}, {}", num(c.value), span, c.training());
    if (name.rfind("count:", 0) == 0) {
        const auto id = static_cast<std::uint32_t>(std::stoul(name.substr(6)));
        return fmt::format("`{}` {} times {}, {}", template_text(m, id), num(c.value), span, c.training());
    }
    return {};
}

// One feature in words, or "" when it cannot be said concretely.
std::string say(const PipelineModel& m, const Part& part, const featurize::FeatureRow& row, const std::string& name,
                std::size_t i) {
    Column c{part, i, row.values[i]};
    if (name == "log_message_length" || name == "log_gap_same_template") c.to_unit = from_log1p;
    return part.per == Granularity::line ? say_line(m, row, name, c) : say_span(m, part, name, c);
}

}  // namespace

std::vector<std::string> explain_row(const PipelineModel& model, const Part& part, const featurize::FeatureRow& row,
                                     const std::vector<double>* contributions, std::size_t max_reasons, TopFeature* top) {
    const auto& names = part.model.feature_names;
    const std::size_t n = std::min({names.size(), row.values.size(), part.center.size()});
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = contributions && i < contributions->size()
                             ? (*contributions)[i]
                             : std::abs(row.values[i] - part.center[i]) / part.scale[i];
        if (d > 0 && std::isfinite(d)) ranked.emplace_back(d, i);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> reasons;
    for (const auto& [d, i] : ranked) {
        if (reasons.size() >= max_reasons) break;
        std::string words = say(model, part, row, names[i], i);
        if (words.empty() || std::find(reasons.begin(), reasons.end(), words) != reasons.end()) continue;
        if (top && reasons.empty()) {
            top->name = names[i];
            top->value = row.values[i];
            if (names[i] == "param_out_of_range" && row.worst_param >= 0) {
                top->slot = row.worst_field ? -1 : row.worst_param;  // a field is scoped by its template alone
                top->value = row.worst_param_value;  // the parameter itself, as the param_range signal's
            }
        }
        reasons.push_back(std::move(words));
    }
    // Nothing said concretely: what every row has, its template's count or its event count.
    if (reasons.empty() && part.per == Granularity::line) reasons.push_back(template_reason(model, row.template_id));
    if (reasons.empty() && n > 0 && !names.empty()) reasons.push_back(say(model, part, row, names[0], 0));
    return reasons;
}

}  // namespace logad::pipeline
