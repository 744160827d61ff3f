// Targets into scoped verdicts (verdict_resolver.hpp).
#include <logad/model/detector.hpp>
#include <logad/pipeline/verdict_resolver.hpp>

#include <logad/error.hpp>
#include <logad/featurize/param_reader.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/signal_kind.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

// The margins of feedback.hpp: a parameter may stray as far past a marked value as the
// param_range signal lets it stray past its training p99; a count or share half as much again.
constexpr double k_param_margin_spreads = 3.0;
constexpr double k_count_margin = 0.5;

bool is_template_id(std::string_view s) {
    return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

VerdictResolver::VerdictResolver(const PipelineModel& model, Verdict verdict, VerdictBy by)
    : m_model(model), m_miner(mine::TemplateMiner::from_json(model.miner->to_json())),
      m_format(parse::make_format(model.parse.format)), m_verdict(verdict), m_by(by) {}

void VerdictResolver::resolve(std::string_view target) {
    const auto first = target.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) throw UsageError("an empty target names nothing to give a verdict on");
    const std::string text(target.substr(first));
    if (is_template_id(text)) return add_template(static_cast<std::uint32_t>(std::stoull(text)), {});
    if (text.front() == '{') return add_record(text);
    add_line(std::string(target));
}

std::string VerdictResolver::text_of(std::uint32_t id, const std::string& given) const {
    if (!given.empty()) return given;
    const auto it = m_model.space.templates.find(id);
    return it == m_model.space.templates.end() ? std::string() : it->second.text;
}

void VerdictResolver::push(VerdictEntry v) {
    for (const auto& have : verdicts)
        if (have.same_scope(v) && !v.ranged()) return;  // a file naming one thing twice
    verdicts.push_back(std::move(v));
}

void VerdictResolver::add_template(std::uint32_t id, const std::string& text) {
    if (id == 0) throw UsageError("template id 0 names no template; give the template_id of a score record");
    VerdictEntry v;
    v.template_id = id;
    v.template_text = text_of(id, text);
    push(std::move(v));
}

// The margin a value may stray past the marked one (feedback.hpp).
double VerdictResolver::margin_of(const RecordScope& s) const {
    if (s.slot >= 0 && s.template_id != 0) {
        const featurize::ParamRange* r = m_model.space.range_of(s.template_id, static_cast<std::size_t>(s.slot));
        if (const featurize::Spread* judged = r ? r->judged() : nullptr) return k_param_margin_spreads * judged->width();
    }
    return k_count_margin * std::max(std::abs(s.low), std::abs(s.high));
}

void VerdictResolver::add_record(const std::string& text) {
    for (VerdictTarget& t : parse_verdict_targets(text)) add_target(std::move(t));
}

void VerdictResolver::add_target(VerdictTarget t) {
    const RecordScope& s = t.scope;
    const std::string what = fmt::format("this {} record from {}", s.per.empty() ? "incident's" : s.per, s.detector);
    if (m_by == VerdictBy::template_ || !normal()) {
        // The whole template (or key, or column): an anomaly verdict makes it always alert.
        if (s.template_id != 0) {
            add_template(s.template_id, t.template_text);
            verdicts.back().reason = t.reason;
            return;
        }
        // An incident's other scopes stay scoped: it names a template for some of them only.
        if (m_by == VerdictBy::template_ && !t.from_incident)
            throw UsageError(fmt::format("{} names no template; drop --by template", what));
    }
    if (s.template_id == 0 && s.key.empty() && s.feature.empty())
        throw UsageError(fmt::format("{} names no template, key or column, and a verdict on its reasons alone would "
                                     "silence them for every template; give a verdict on the template it is about "
                                     "(a template id, or one of its line records)",
                                     what));
    VerdictEntry v;
    v.per = s.per;
    v.detector = s.detector;
    v.template_id = s.template_id;
    v.template_text = text_of(s.template_id, t.template_text);
    v.key = s.key;
    v.feature = s.feature;
    v.slot = s.slot;
    v.reason = t.reason;
    v.examples = std::move(t.examples);
    if (normal() && s.ranged()) {
        v.low = s.low;
        v.high = s.high;
        v.margin = margin_of(s);
    }
    if (!normal()) {  // the key or column, whatever detector
        v.per.clear();
        v.detector.clear();
        v.slot = -1;
    }
    if (m_by == VerdictBy::reason)
        notes.push_back(fmt::format("--by reason narrowed to {}: a reason alone would silence it for every template",
                                      v.scope_text()));
    push(std::move(v));
}

void VerdictResolver::add_line(const std::string& line) {
    if (m_by == VerdictBy::reason) throw UsageError("a log line names a template, not a reason; drop --by reason");
    Event e;
    if (m_format->parse(line, e.record).kind != parse::LineResult::record)
        throw UsageError(fmt::format("'{}' is not a template id, a score record, a file, or a log line in the model's "
                                     "format ({})",
                                     line.substr(0, 80), m_format->name()));
    m_miner.learn(e);
    if (!normal() || m_by == VerdictBy::template_) return add_template(e.template_id, e.template_text);
    const std::vector<VerdictExample> example{{e.record.message, e.record.level}};
    bool any = false;
    if (!m_model.space.knows(e.template_id)) {  // a new template: it becomes known, and its line is normal
        VerdictEntry v;
        v.per = "line";
        v.detector = signal_detector(SignalKind::new_template);
        v.template_id = e.template_id;
        v.template_text = e.template_text;
        v.examples = example;
        push(std::move(v));
        any = true;
    }
    // Measurements outside their training range: each slot widened, the rest of the template untouched.
    for (std::size_t i = 0; i < e.params.size(); ++i) {
        const featurize::ParamRange* r = m_model.space.range_of(e.template_id, i);
        const featurize::Spread* judged = r ? r->judged() : nullptr;
        const auto value = featurize::param_number(e.params[i]);
        if (!judged || !value || r->kind != featurize::SlotKind::measurement || judged->count < featurize::k_min_judged) continue;
        if (*value >= judged->min && *value <= judged->max) continue;
        VerdictEntry v;
        v.per = "line";
        v.detector = signal_detector(SignalKind::param_range);
        v.template_id = e.template_id;
        v.template_text = e.template_text;
        v.slot = static_cast<int>(i);
        v.low = v.high = *value;
        v.margin = k_param_margin_spreads * judged->width();
        v.examples = example;
        push(std::move(v));
        any = true;
    }
    // A known template with its values in range: only the line detector can have flagged it
    // (a new template's line too: the detector reads it as one it never saw).
    if (any && m_model.space.knows(e.template_id)) return;
    for (const Part& part : m_model.parts) {
        if (part.per != featurize::Granularity::line) continue;
        VerdictEntry v;
        v.per = "line";
        v.detector = std::string(part.model.detector->algo());
        v.template_id = e.template_id;
        v.template_text = e.template_text;
        v.examples = example;
        return push(std::move(v));
    }
    if (!any) add_template(e.template_id, e.template_text);
}


}  // namespace logad::pipeline
