// Reasons for a detector's verdict: the features furthest from their training values, said in
// words. Distance is |value - training median| / robust spread, or the detector's own
// per-feature contribution when it has one (the autoencoder's reconstruction errors).
#include <logad/pipeline/scorer.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace logad::pipeline {
namespace {

std::string num(double v) {
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(v)));
    return fmt::format("{:.3g}", v);
}

std::string template_text(const PipelineModel& m, std::uint32_t id) {
    const auto it = m.space.templates.find(id);
    if (it == m.space.templates.end()) return fmt::format("#{}", id);
    const std::string& t = it->second.text;
    return t.size() <= 80 ? t : t.substr(0, 77) + "...";
}

std::string span_words(const PipelineModel& m, featurize::Granularity per) {
    if (per == featurize::Granularity::session) return "in the session";
    const std::int64_t ms = m.train.window_ms;
    if (ms % 60000 == 0 && ms >= 120000) return fmt::format("in {} min", ms / 60000);
    if (ms % 1000 == 0) return fmt::format("in {} s", ms / 1000);
    return fmt::format("in {} ms", ms);
}

// One feature in words, or "" when it adds nothing a person can act on.
std::string say(const PipelineModel& m, const Part& part, const featurize::FeatureRow& row, const std::string& name,
                double v, double typical) {
    using featurize::Granularity;
    const std::string span = span_words(m, part.per);
    if (part.per == Granularity::line) {
        const std::string t = template_text(m, row.template_id);
        if (name == "rarity" || name == "new_template") {
            const auto it = m.space.templates.find(row.template_id);
            if (it == m.space.templates.end()) return fmt::format("template `{}` never seen in training", t);
            return fmt::format("template `{}` is rare: {} of {} training lines", t, it->second.count, m.space.n_events);
        }
        // A level the line does not have (v below typical) is no reason anyone can act on.
        if (name.rfind("level:", 0) == 0)
            return v > typical ? fmt::format("level {} is rare for this log", name.substr(6)) : std::string();
        if (name == "log_message_length")
            return fmt::format("message of {} bytes, typical {}", num(std::expm1(v)), num(std::expm1(typical)));
        if (name == "log_gap_same_template")
            return fmt::format("`{}` came {} s after the previous one, typical {} s", t, num(std::expm1(v)), num(std::expm1(typical)));
        if (name == "param_out_of_range") {
            const featurize::ParamRange* slot =
                row.worst_param < 0 ? nullptr : m.space.range_of(row.template_id, static_cast<std::size_t>(row.worst_param));
            const featurize::Spread* r = slot == nullptr ? nullptr : slot->judged();
            if (r == nullptr) return fmt::format("a numeric parameter of `{}` is far outside its training range", t);
            const featurize::ParamReading reading{static_cast<std::size_t>(row.worst_param), row.worst_param_value, slot, r};
            const bool low = row.worst_param_value < r->p01;
            return fmt::format("{} of `{}` = {}, training {} = {} (range {} to {})", featurize::reading_subject(reading), t,
                               num(row.worst_param_value), low ? "p1" : "p99", num(low ? r->p01 : r->p99), num(r->min),
                               num(r->max));
        }
        if (name == "params") return fmt::format("{} parameters, typical {}", num(v), num(typical));
        if (name.rfind("template_hash:", 0) == 0 || name.rfind("tfidf_hash:", 0) == 0)
            return fmt::format("the words of `{}` are unusual for this log", t);
        return {};
    }
    if (name == "events") return fmt::format("{} events {}, typical {}", num(v), span, num(typical));
    if (name == "distinct_templates") return fmt::format("{} distinct templates {}, typical {}", num(v), span, num(typical));
    if (name == "new_templates") return fmt::format("{} never-seen templates {}", num(v), span);
    if (name == "duration_s") return fmt::format("the session lasted {} s, typical {} s", num(v), num(typical));
    if (name.rfind("level:", 0) == 0) return fmt::format("{} {} events {}, typical {}", num(v), name.substr(6), span, num(typical));
    if (name == "count:unseen") return fmt::format("{} events of rare or new templates {}, typical {}", num(v), span, num(typical));
    if (name.rfind("count:", 0) == 0) {
        const auto id = static_cast<std::uint32_t>(std::stoul(name.substr(6)));
        return fmt::format("`{}` {} times {}, typical {}", template_text(m, id), num(v), span, num(typical));
    }
    return {};
}

}  // namespace

std::vector<std::string> explain_row(const PipelineModel& model, const Part& part, const featurize::FeatureRow& row,
                                     const std::vector<double>* contributions, std::size_t max_reasons) {
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
        std::string words = say(model, part, row, names[i], row.values[i], part.center[i]);
        if (words.empty() || std::find(reasons.begin(), reasons.end(), words) != reasons.end()) continue;
        reasons.push_back(std::move(words));
    }
    if (reasons.empty()) reasons.push_back("an unusual combination of features for this log");
    return reasons;
}

}  // namespace logad::pipeline
