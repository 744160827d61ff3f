// Reasons for a detector's verdict: the features furthest from their training values, said in
// words. Distance is |value - training median| / robust spread, or the detector's own
// per-feature contribution when it has one (the autoencoder's reconstruction errors).
//
// Every reason names a concrete quantity, its value in this row and what training held (the
// median and the range, a share, or a count); a feature that cannot be said so (the hashed
// columns of a template's words) speaks through the template's training count, or not at all.
#include <logad/pipeline/scorer.hpp>

#include <logad/featurize/columns.hpp>

#include <fmt/core.h>
#include <fmt/args.h>

#include <algorithm>
#include <charconv>
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
// unit a person reads (the column table's inverse transform: lengths and gaps are stored as log1p).
struct ColumnReading {
    const Part& part;
    std::size_t i;
    double value;
    featurize::Transform stored = featurize::Transform::none;

    double to_unit(double x) const { return featurize::from_stored(stored, x); }
    double now() const { return to_unit(value); }
    // "training median 80, range 12 to 1500" (the range when the model holds it).
    std::string training(std::string_view unit) const {
        const std::string median = fmt::format("training median {}{}", num(to_unit(part.center[i])), unit);
        if (part.low.size() <= i) return median;
        return fmt::format("{}, range {} to {}{}", median, num(to_unit(part.low[i])), num(to_unit(part.high[i])), unit);
    }
};

// The template's training count: concrete for every line, whatever column pointed at it.
std::string template_reason(const PipelineModel& m, std::uint32_t id) {
    const std::string t = template_text(m, id);
    const auto it = m.space.templates.find(id);
    if (it == m.space.templates.end()) return fmt::format("template `{}` never seen in {} training lines", t, m.space.n_events);
    const double share = m.space.n_events ? static_cast<double>(it->second.count) / static_cast<double>(m.space.n_events) : 0;
    return fmt::format("template `{}` seen {} times in {} training lines ({})", t, it->second.count, m.space.n_events,
                       share_text(share));
}

// The worst parameter or numeric field of a line against its training range.
std::string say_reading(const PipelineModel& m, const featurize::FeatureRow& row) {
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
    return fmt::format("{} of `{}` = {}, training {} = {} (range {} to {})", featurize::reading_subject(reading),
                       template_text(m, row.template_id), num(row.worst_param_value), low ? "p1" : "p99",
                       num(low ? r->p01 : r->p99), num(r->min), num(r->max));
}

// One feature in words, or "" when it cannot be said concretely: how is the column table's.
std::string say(const PipelineModel& m, const Part& part, const featurize::FeatureRow& row, const std::string& name,
                std::size_t i) {
    const auto found = featurize::find_column(part.per, name);
    if (!found) return {};
    const featurize::ColumnSpec& spec = *found->spec;
    const ColumnReading c{part, i, row.values[i], spec.transform};
    switch (spec.speech) {
        case featurize::Speech::template_count: return template_reason(m, row.template_id);
        case featurize::Speech::param_reading: return say_reading(m, row);
        case featurize::Speech::level_share: {
            // A level the line does not have (v below typical) is no reason anyone can act on;
            // nor is a share training did not keep.
            if (c.value <= part.center[i] || part.mean.size() <= i || part.rows == 0) return {};
            const double share = part.mean[i];
            return fmt::format("level {}: {} of {} training lines had it ({})", found->member,
                               num(std::round(share * static_cast<double>(part.rows))), part.rows, share_text(share));
        }
        case featurize::Speech::param_count:
            if (part.low.size() > i && part.low[i] == part.high[i])
                return fmt::format("{} parameters expected, {} found", num(part.low[i]), num(c.value));
            return fmt::format("{} parameters, {}", num(c.value), c.training(""));
        case featurize::Speech::phrase: break;
    }
    // The template a phrase names: the line's own, or the one a count column is for.
    std::uint32_t id = row.template_id;
    if (spec.column == featurize::Column::template_count) {
        std::uint32_t parsed = 0;
        const auto [end, ec] = std::from_chars(found->member.data(), found->member.data() + found->member.size(), parsed);
        if (ec != std::errc{} || end != found->member.data() + found->member.size()) return {};
        id = parsed;
    }
    const std::string text =
        fmt::format(fmt::runtime(spec.phrase), fmt::arg("value", num(c.now())), fmt::arg("template", template_text(m, id)),
                    fmt::arg("span", span_words(m, part.per)), fmt::arg("level", found->member));
    return spec.unit ? fmt::format("{}, {}", text, c.training(*spec.unit)) : text;
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
            const auto found = featurize::find_column(part.per, names[i]);
            if (found && found->spec->speech == featurize::Speech::param_reading && row.worst_param >= 0) {
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
