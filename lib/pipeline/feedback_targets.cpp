// Reading what a verdict is given on: score records and incident records as `logad score`
// prints them (read by score_stream.hpp), and the dates verdicts lapse at.
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

std::string first_reason(const std::vector<std::string>& reasons) { return reasons.empty() ? std::string() : reasons.front(); }

VerdictTarget score_record_target(const ScoreRecord& r) {
    VerdictTarget t;
    t.scope = scope_of(r);
    t.template_text = r.template_text;
    t.reason = first_reason(r.reasons);
    if (r.per == "line" && !r.message.empty()) t.examples.push_back({r.message, r.level});
    return t;
}

std::vector<VerdictExample> incident_examples(const Incident& i) {
    std::vector<VerdictExample> out;
    for (const std::string& x : i.examples) {
        if (out.size() == k_max_verdict_examples) break;
        out.push_back({x, i.level});
    }
    return out;
}

std::vector<VerdictTarget> incident_targets(const Incident& i) {
    const std::string reason = first_reason(i.reasons);
    std::vector<VerdictTarget> out;
    for (const RecordScope& s : i.scopes) {
        VerdictTarget t;
        t.from_incident = true;
        t.scope = s;
        if (t.scope.template_id == i.template_id) {
            t.template_text = i.template_text;
            // The incident's examples are lines of the template it is about.
            if (i.template_id != 0 && t.scope.per == "line") t.examples = incident_examples(i);
        }
        if (out.empty()) t.reason = reason;  // the incident's first reason is its first record's
        out.push_back(std::move(t));
    }
    if (!i.scopes.empty()) return out;
    // An incident of a logad before scopes: its template or key, per detector.
    for (const auto& detector : i.detectors) {
        VerdictTarget t;
        t.from_incident = true;
        t.scope.detector = detector;
        t.scope.template_id = i.template_id;
        t.scope.key = i.key;
        t.template_text = i.template_text;
        t.reason = reason;
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

std::vector<VerdictTarget> parse_verdict_targets(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    const bool incident = j.is_object() && j.contains("per") && j.at("per") == "incident";
    // A verdict names what was judged: a table row's record names nothing to scope it to.
    if (!j.is_object() || !j.contains("per") || !j.contains(incident ? "detectors" : "detector") || !j.contains("reasons"))
        throw UsageError(fmt::format("'{}' is not a score record or an incident record as `logad score` prints it",
                                     text.substr(0, 80)));
    try {
        const ScoreLine line = read_score_object(j, "the record");
        if (line.kind == ScoreLine::Kind::incident) return incident_targets(line.incident);
        return {score_record_target(line.record)};
    } catch (const InputError& e) {
        throw UsageError(fmt::format("a score record has a field of the wrong type ({})", e.what()));
    }
}

std::int64_t parse_date_ms(const std::string& text) {
    std::int64_t ms = 0;
    if (!util::parse_rfc3339_ms(text, ms))
        throw UsageError(fmt::format("'{}' is not a date; write 2026-12-01 or 2026-12-01T08:00:00Z (UTC unless an "
                                     "offset is given)",
                                     text));
    return ms;
}

}  // namespace logad::pipeline
