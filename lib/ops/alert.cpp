#include <logad/ops/alert.hpp>

#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cctype>

namespace logad::ops {
namespace {

constexpr std::size_t k_max_example = 500;  // bytes of a log line shown in an alert
constexpr std::size_t k_max_shown = 10;     // alerts in one Slack message (Slack allows 50 blocks)

std::string truncate_utf8(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a character
    return std::string(s.substr(0, n)) + "…";
}

// Slack's mrkdwn treats &, < and > as markup.
std::string slack_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string where(const Alert& a) {
    if (a.first_line == 0) return "";
    if (a.last_line <= a.first_line) return fmt::format(" (line {})", a.first_line);
    return fmt::format(" (lines {}-{})", a.first_line, a.last_line);
}

std::string summary(const Alert& a) {
    std::string s = fmt::format("{} anomaly ({}){}", a.per, a.detector, where(a));
    if (!a.session.empty()) s += fmt::format(" key {}", a.session);
    if (!a.reasons.empty()) s += ": " + a.reasons.front();
    return s;
}

}  // namespace

std::string reason_shape(std::string_view reason) {
    std::string out;
    for (std::size_t i = 0; i < reason.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(reason[i]);
        if (std::isdigit(c)) {
            while (i + 1 < reason.size() && (std::isdigit(static_cast<unsigned char>(reason[i + 1])) || reason[i + 1] == '.'))
                ++i;
            out += '#';
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

Alert alert_from_record(const pipeline::ScoreRecord& r, std::int64_t now_ms) {
    Alert a;
    a.per = r.per;
    a.detector = r.detector;
    a.score = r.score;
    a.threshold = r.threshold;
    a.first_line = r.first_line;
    a.last_line = r.last_line;
    a.session = r.key;
    a.template_id = r.template_id;
    a.reasons = r.reasons;
    a.example = truncate_utf8(!r.message.empty() ? r.message : r.template_text, k_max_example);
    a.started_ms = a.last_seen_ms = now_ms;
    // A line's template says what it is; other rows are told apart by their key and what was wrong.
    if (a.template_id == 0 && !r.reasons.empty()) a.reason_shape = truncate_utf8(reason_shape(r.reasons.front()), 120);
    // One alert per template whichever detector or signal saw it first; others by what was wrong.
    a.key = a.template_id ? fmt::format("{}|t{}", a.per, a.template_id)
                          : fmt::format("{}|{}|{}|{}", a.per, a.detector, a.session, a.reason_shape);
    return a;
}

Alert alert_from_incident(const pipeline::Incident& i, std::int64_t now_ms) {
    Alert a;
    a.per = "incident";
    a.detector = i.kind;
    a.score = i.score;
    a.threshold = 1;
    a.first_line = i.first_line;
    a.last_line = i.last_line;
    a.session = i.key;
    a.template_id = i.template_id;
    a.reasons = i.reasons;
    a.example = truncate_utf8(!i.examples.empty() ? i.examples.front() : i.template_text, k_max_example);
    a.started_ms = a.last_seen_ms = now_ms;
    a.occurrences = i.records;
    a.held = i.state == pipeline::Incident::State::open;
    a.key = i.template_id ? fmt::format("incident|t{}", i.template_id)
            : !i.key.empty() ? fmt::format("incident|k{}", i.key)
                             : fmt::format("incident|d{}", i.kind);
    return a;
}

std::string slack_payload(const SlackBatch& b) {
    const std::size_t total = b.alerts.size() + b.more;
    const std::string on = b.instance.empty() ? "" : " on " + b.instance;
    std::string text = fmt::format("logad: {} {}{}", total, total == 1 ? "anomaly" : "anomalies", on);
    if (!b.alerts.empty()) text += " - " + summary(b.alerts.front());
    nlohmann::json blocks = nlohmann::json::array();
    blocks.push_back({{"type", "section"},
                      {"text",
                       {{"type", "mrkdwn"},
                        {"text", slack_escape(fmt::format("*logad* found {} {}{}", total,
                                                          total == 1 ? "anomaly" : "anomalies", on))}}}});
    std::size_t shown = 0;
    for (const Alert& a : b.alerts) {
        if (shown++ == k_max_shown) break;
        std::string t = fmt::format("*{} anomaly* `{}` score {:.4g} > {:.4g}{}", a.per, a.detector, a.score, a.threshold,
                                    where(a));
        if (!a.session.empty()) t += fmt::format(" key `{}`", a.session);
        for (const std::string& reason : a.reasons) t += "\n• " + reason;
        if (!a.example.empty()) t += "\n```" + a.example + "```";
        blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", truncate_utf8(slack_escape(t), 2900)}}}});
    }
    const std::uint64_t not_shown = total - std::min<std::size_t>(shown, b.alerts.size());
    std::string context;
    if (not_shown) context = fmt::format("{} more not shown", not_shown);
    if (b.suppressed)
        context += fmt::format("{}{} repeats suppressed by the cool-down", context.empty() ? "" : " · ", b.suppressed);
    if (!context.empty())
        {
        const nlohmann::json element = {{"type", "mrkdwn"}, {"text", context}};
        blocks.push_back({{"type", "context"}, {"elements", nlohmann::json::array({element})}});
    }
    return dump({{"text", truncate_utf8(text, 1000)}, {"blocks", blocks}});
}

std::string alertmanager_payload(const std::vector<Alert>& active, const std::vector<Alert>& resolved,
                                 const std::string& instance, std::int64_t now_ms, std::int64_t hold_ms) {
    nlohmann::json out = nlohmann::json::array();
    auto add = [&](const Alert& a, std::int64_t ends_ms) {
        nlohmann::json labels = {{"alertname", "LogadAnomaly"}, {"severity", "warning"}, {"per", a.per},
                                 {"detector", a.detector}};
        if (!instance.empty()) labels["instance"] = instance;
        if (a.template_id) labels["template_id"] = std::to_string(a.template_id);
        if (!a.session.empty()) labels["key"] = a.session;
        if (!a.reason_shape.empty()) labels["reason"] = a.reason_shape;
        std::string description;
        for (const std::string& r : a.reasons) description += (description.empty() ? "" : "\n") + r;
        nlohmann::json annotations = {{"summary", summary(a)},
                                      {"description", description},
                                      {"score", fmt::format("{:.4g}", a.score)},
                                      {"threshold", fmt::format("{:.4g}", a.threshold)},
                                      {"occurrences", std::to_string(a.occurrences)}};
        if (!a.example.empty()) annotations["example"] = a.example;
        out.push_back({{"labels", labels},
                       {"annotations", annotations},
                       {"startsAt", util::rfc3339_ms(a.started_ms)},
                       {"endsAt", util::rfc3339_ms(ends_ms)}});
    };
    for (const Alert& a : active) add(a, a.held ? now_ms + hold_ms : std::max(a.last_seen_ms + hold_ms, now_ms + 1000));
    for (const Alert& a : resolved) add(a, now_ms);
    return dump(out);
}

}  // namespace logad::ops
