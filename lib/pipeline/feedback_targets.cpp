// Reading what a verdict is given on: score records and incident records as `logad score`
// prints them (score_record.hpp, incidents.hpp), and the dates verdicts lapse at.
#include <logad/util/json_integer.hpp>
#include <logad/pipeline/feedback.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

std::string first_reason(const nlohmann::json& j) {
    const auto reasons = j.at("reasons").get<std::vector<std::string>>();
    return reasons.empty() ? std::string() : reasons.front();
}

VerdictTarget score_record_target(const nlohmann::json& j) {
    ScoreRecord r;
    r.per = j.at("per").get<std::string>();
    r.detector = j.at("detector").get<std::string>();
    if (j.contains("key")) r.key = j.at("key").get<std::string>();
    if (j.contains("template_id")) r.template_id = util::json_integer<std::uint32_t>(j.at("template_id"));
    if (j.contains("feature")) r.feature = j.at("feature").get<std::string>();
    if (j.contains("slot")) r.slot = util::json_integer<int>(j.at("slot")) - 1;
    if (j.contains("value") && j.at("value").is_number()) r.value = j.at("value").get<double>();
    VerdictTarget t;
    t.scope = scope_of(r);
    t.template_text = j.value("template", "");
    t.reason = first_reason(j);
    if (r.per == "line" && j.contains("message")) t.examples.push_back({j.at("message").get<std::string>(), parse_level(j.value("level", ""))});
    return t;
}

std::vector<VerdictExample> incident_examples(const nlohmann::json& j) {
    std::vector<VerdictExample> out;
    if (!j.contains("examples")) return out;
    const Level level = parse_level(j.value("level", ""));
    for (const auto& x : j.at("examples")) {
        if (out.size() == k_max_verdict_examples) break;
        out.push_back({x.get<std::string>(), level});
    }
    return out;
}

std::vector<VerdictTarget> incident_targets(const nlohmann::json& j) {
    const std::uint32_t template_id = j.contains("template_id") ? util::json_integer<std::uint32_t>(j.at("template_id")) : 0;
    const std::string text = j.value("template", ""), reason = first_reason(j);
    std::vector<VerdictTarget> out;
    if (j.contains("scopes")) {
        for (const auto& s : j.at("scopes")) {
            VerdictTarget t;
            t.from_incident = true;
            t.scope.per = s.at("per").get<std::string>();
            t.scope.detector = s.at("detector").get<std::string>();
            if (s.contains("template_id")) t.scope.template_id = util::json_integer<std::uint32_t>(s.at("template_id"));
            t.scope.key = s.value("key", "");
            t.scope.feature = s.value("feature", "");
            if (s.contains("slot")) t.scope.slot = util::json_integer<int>(s.at("slot")) - 1;
            if (s.contains("low") && s.contains("high") && s.at("low").is_number() && s.at("high").is_number()) {
                t.scope.low = s.at("low").get<double>();
                t.scope.high = s.at("high").get<double>();
            }
            if (t.scope.template_id == template_id) {
                t.template_text = text;
                // The incident's examples are lines of the template it is about.
                if (template_id != 0 && t.scope.per == "line") t.examples = incident_examples(j);
            }
            if (out.empty()) t.reason = reason;  // the incident's first reason is its first record's
            out.push_back(std::move(t));
        }
        return out;
    }
    // An incident of a logad before scopes: its template or key, per detector.
    for (const auto& detector : j.at("detectors").get<std::vector<std::string>>()) {
        VerdictTarget t;
        t.from_incident = true;
        t.scope.detector = detector;
        t.scope.template_id = template_id;
        t.scope.key = j.value("key", "");
        t.template_text = text;
        t.reason = reason;
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

std::vector<VerdictTarget> parse_verdict_targets(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    const bool incident = j.is_object() && j.contains("per") && j.at("per") == "incident";
    if (!j.is_object() || !j.contains("per") || !j.contains(incident ? "detectors" : "detector") || !j.contains("reasons"))
        throw UsageError(fmt::format("'{}' is not a score record or an incident record as `logad score` prints it",
                                     text.substr(0, 80)));
    try {
        if (incident) return incident_targets(j);
        return {score_record_target(j)};
    } catch (const nlohmann::json::exception& e) {
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
