// Reading what a verdict is given on: score records and incident records as `logad score`
// prints them (score_record.hpp, incidents.hpp), and the dates verdicts lapse at.
#include <logad/util/json_integer.hpp>
#include <logad/pipeline/feedback.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>

namespace logad::pipeline {
namespace {

bool is_date_digit(char c) { return c >= '0' && c <= '9'; }

// Reads N digits at `at` as a number; false when they are not all digits.
bool date_digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!is_date_digit(s[i])) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

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
    const std::string_view s(text);
    auto bad = [&] {
        return UsageError(fmt::format("'{}' is not a date; write 2026-12-01 or 2026-12-01T08:00:00Z (UTC unless an "
                                      "offset is given)",
                                      text));
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    if (!date_digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !date_digits(s, 5, 2, month) || s[7] != '-' ||
        !date_digits(s, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31)
        throw bad();
    std::size_t at = 10;
    std::int64_t offset_ms = 0;
    if (at < s.size()) {
        if ((s[at] != 'T' && s[at] != ' ') || !date_digits(s, at + 1, 2, hour) || at + 3 >= s.size() || s[at + 3] != ':' ||
            !date_digits(s, at + 4, 2, minute))
            throw bad();
        at += 6;
        if (at < s.size() && s[at] == ':') {
            if (!date_digits(s, at + 1, 2, second)) throw bad();
            at += 3;
            if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
                ++at;
                int scale = 100;
                for (; at < s.size() && is_date_digit(s[at]); ++at, scale /= 10) ms += (s[at] - '0') * scale;
            }
        }
        if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
            ++at;
        } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
            int oh = 0, om = 0;
            if (!date_digits(s, at + 1, 2, oh)) throw bad();
            std::size_t next = at + 3;
            if (next < s.size() && s[next] == ':') ++next;
            if (!date_digits(s, next, 2, om)) throw bad();
            offset_ms = (s[at] == '-' ? -1 : 1) * (oh * 3600000LL + om * 60000LL);
            at = next + 2;
        }
        if (at != s.size() || hour > 23 || minute > 59 || second > 60) throw bad();
    }
    const std::int64_t days = util::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400000LL + hour * 3600000LL + minute * 60000LL + second * 1000LL + ms - offset_ms;
}

}  // namespace logad::pipeline
