#include <logad/util/json_integer.hpp>
#include <logad/pipeline/feedback.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace logad::pipeline {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string rfc3339(std::int64_t ms) {
    std::string s;
    util::append_rfc3339_ms(s, ms);
    return s;
}

bool same_target(const VerdictEntry& a, const VerdictEntry& b) {
    return a.template_id == b.template_id && (a.template_id != 0 || a.reason == b.reason);
}

// The latest live verdict on a target, or null.
const VerdictEntry* find(const std::vector<VerdictEntry>& verdicts, std::uint32_t template_id, const std::string* reason,
                         std::int64_t t) {
    for (auto it = verdicts.rbegin(); it != verdicts.rend(); ++it) {
        const bool hit = template_id != 0 ? it->template_id == template_id : (it->template_id == 0 && reason && it->reason == *reason);
        if (!hit) continue;
        if (it->until_ms != k_no_time && t >= it->until_ms) return nullptr;
        return &*it;
    }
    return nullptr;
}

// Reads N digits at `at` as a number; false when they are not all digits.
bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (!is_digit(s[i])) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

void Feedback::add(VerdictEntry entry) {
    std::erase_if(verdicts, [&](const VerdictEntry& v) { return same_target(v, entry); });
    verdicts.push_back(std::move(entry));
}

nlohmann::json Feedback::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const VerdictEntry& v : verdicts) {
        nlohmann::json j;
        j["verdict"] = v.verdict == Verdict::normal ? "normal" : "anomaly";
        if (v.template_id != 0)
            j["template_id"] = v.template_id;
        else
            j["reason"] = v.reason;
        if (v.until_ms != k_no_time) j["until"] = rfc3339(v.until_ms);
        if (v.added_ms != k_no_time) j["added"] = rfc3339(v.added_ms);
        if (!v.note.empty()) j["note"] = v.note;
        list.push_back(std::move(j));
    }
    return {{"version", k_version}, {"verdicts", std::move(list)}};
}

Feedback Feedback::from_json(const nlohmann::json& j, const std::string& origin) {
    Feedback f;
    try {
        const int version = util::json_integer<int>(j.at("version"));
        if (version > k_version)
            throw FormatError(fmt::format("{} holds feedback version {}, newer than this logad reads ({}); upgrade logad",
                                          origin, version, k_version));
        if (version < 1) throw FormatError(fmt::format("{} holds feedback of unknown version {}", origin, version));
        for (const auto& e : j.at("verdicts")) {
            VerdictEntry v;
            const std::string verdict = e.at("verdict").get<std::string>();
            if (verdict != "normal" && verdict != "anomaly")
                throw FormatError(fmt::format("{}: feedback verdict '{}' is neither normal nor anomaly", origin, verdict));
            v.verdict = verdict == "normal" ? Verdict::normal : Verdict::anomaly;
            if (e.contains("template_id"))
                v.template_id = util::json_integer<std::uint32_t>(e.at("template_id"));
            else
                v.reason = e.at("reason").get<std::string>();
            if (v.template_id == 0 && v.reason.empty())
                throw FormatError(fmt::format("{}: a feedback verdict names neither a template nor a reason", origin));
            if (e.contains("until")) v.until_ms = parse_date_ms(e.at("until").get<std::string>());
            if (e.contains("added")) v.added_ms = parse_date_ms(e.at("added").get<std::string>());
            if (e.contains("note")) v.note = e.at("note").get<std::string>();
            f.verdicts.push_back(std::move(v));
        }
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("{}: its feedback is damaged or was edited by hand ({}); "
                                      "remove the \"feedback\" member and give the verdicts again",
                                      origin, e.what()));
    } catch (const UsageError& e) {
        throw FormatError(fmt::format("{}: its feedback holds a bad date ({})", origin, e.what()));
    }
    return f;
}

Feedback Feedback::from_document(const nlohmann::json& doc, const std::string& origin) {
    if (!doc.is_object() || !doc.contains("feedback")) return {};
    return from_json(doc.at("feedback"), origin);
}

Feedback::Decision Feedback::judge(const ScoreRecord& r, std::int64_t now_ms) const {
    if (verdicts.empty()) return Decision::keep;
    const std::int64_t t = r.end_ms != k_no_time ? r.end_ms : r.start_ms != k_no_time ? r.start_ms : now_ms;
    if (r.template_id != 0) {
        if (const VerdictEntry* v = find(verdicts, r.template_id, nullptr, t))
            return v->verdict == Verdict::normal ? Decision::suppress : Decision::force;
    }
    // Reasons: dropped only when every one of them was called normal.
    if (r.reasons.empty()) return Decision::keep;
    bool all_normal = true;
    for (const std::string& reason : r.reasons) {
        const std::string pattern = reason_pattern(reason);
        const VerdictEntry* v = find(verdicts, 0, &pattern, t);
        if (v && v->verdict == Verdict::anomaly) return Decision::force;
        all_normal = all_normal && v != nullptr;
    }
    return all_normal ? Decision::suppress : Decision::keep;
}

bool Feedback::marked_anomaly(std::uint32_t template_id, std::int64_t t) const {
    if (template_id == 0) return false;
    const VerdictEntry* v = find(verdicts, template_id, nullptr, t);
    return v && v->verdict == Verdict::anomaly;
}

std::string reason_pattern(const std::string& reason) {
    std::string out;
    out.reserve(reason.size());
    for (std::size_t i = 0; i < reason.size();) {
        const bool sign = (reason[i] == '-' || reason[i] == '+') && i + 1 < reason.size() && is_digit(reason[i + 1]) &&
                          (i == 0 || reason[i - 1] == ' ' || reason[i - 1] == '(');
        if (!sign && !is_digit(reason[i])) {
            out.push_back(reason[i++]);
            continue;
        }
        i += sign ? 1 : 0;
        while (i < reason.size() && (is_digit(reason[i]) || (reason[i] == '.' && i + 1 < reason.size() && is_digit(reason[i + 1])) ||
                                     ((reason[i] == 'e' || reason[i] == 'E') && i + 1 < reason.size() &&
                                      (is_digit(reason[i + 1]) || reason[i + 1] == '-' || reason[i + 1] == '+'))))
            i += (reason[i] == 'e' || reason[i] == 'E') && !is_digit(reason[i + 1]) ? 2 : 1;
        out += "<n>";
    }
    return out;
}

ScoreRecord parse_score_record(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    // An incident record (incidents.hpp) stands for its records: its template, key and reasons.
    const bool incident = j.is_object() && j.contains("per") && j.at("per") == "incident";
    if (!j.is_object() || !j.contains("per") || !j.contains(incident ? "detectors" : "detector") || !j.contains("reasons"))
        throw UsageError(fmt::format("'{}' is not a score record as `logad score` prints it", text.substr(0, 80)));
    ScoreRecord r;
    try {
        r.per = j.at("per").get<std::string>();
        if (incident) {
            const auto detectors = j.at("detectors").get<std::vector<std::string>>();
            r.detector = detectors.empty() ? std::string() : detectors.front();
            r.anomaly = true;
        } else {
            r.detector = j.at("detector").get<std::string>();
        }
        if (j.contains("score")) r.score = j.at("score").get<double>();
        if (j.contains("threshold")) r.threshold = j.at("threshold").get<double>();
        if (j.contains("anomaly")) r.anomaly = j.at("anomaly").get<bool>();
        if (j.contains("first_line")) r.first_line = util::json_integer<std::uint64_t>(j.at("first_line"));
        if (j.contains("last_line")) r.last_line = util::json_integer<std::uint64_t>(j.at("last_line"));
        if (j.contains("start")) r.start_ms = parse_date_ms(j.at("start").get<std::string>());
        if (j.contains("end")) r.end_ms = parse_date_ms(j.at("end").get<std::string>());
        if (j.contains("key")) r.key = j.at("key").get<std::string>();
        if (j.contains("template_id")) r.template_id = util::json_integer<std::uint32_t>(j.at("template_id"));
        if (j.contains("template")) r.template_text = j.at("template").get<std::string>();
        if (j.contains("message")) r.message = j.at("message").get<std::string>();
        r.reasons = j.at("reasons").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw UsageError(fmt::format("a score record has a field of the wrong type ({})", e.what()));
    }
    return r;
}

std::int64_t parse_date_ms(const std::string& text) {
    const std::string_view s(text);
    auto bad = [&] {
        return UsageError(fmt::format("'{}' is not a date; write 2026-12-01 or 2026-12-01T08:00:00Z (UTC unless an "
                                      "offset is given)",
                                      text));
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31)
        throw bad();
    std::size_t at = 10;
    std::int64_t offset_ms = 0;
    if (at < s.size()) {
        if ((s[at] != 'T' && s[at] != ' ') || !digits(s, at + 1, 2, hour) || at + 3 >= s.size() || s[at + 3] != ':' ||
            !digits(s, at + 4, 2, minute))
            throw bad();
        at += 6;
        if (at < s.size() && s[at] == ':') {
            if (!digits(s, at + 1, 2, second)) throw bad();
            at += 3;
            if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
                ++at;
                int scale = 100;
                for (; at < s.size() && is_digit(s[at]); ++at, scale /= 10) ms += (s[at] - '0') * scale;
            }
        }
        if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
            ++at;
        } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
            int oh = 0, om = 0;
            if (!digits(s, at + 1, 2, oh)) throw bad();
            std::size_t next = at + 3;
            if (next < s.size() && s[next] == ':') ++next;
            if (!digits(s, next, 2, om)) throw bad();
            offset_ms = (s[at] == '-' ? -1 : 1) * (oh * 3600000LL + om * 60000LL);
            at = next + 2;
        }
        if (at != s.size() || hour > 23 || minute > 59 || second > 60) throw bad();
    }
    const std::int64_t days = util::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400000LL + hour * 3600000LL + minute * 60000LL + second * 1000LL + ms - offset_ms;
}

FeedbackFilter::FeedbackFilter(Feedback feedback, Sink<ScoreRecord>& out) : m_out(out) { replace(std::move(feedback)); }

void FeedbackFilter::replace(Feedback feedback) {
    m_feedback = std::move(feedback);
    m_now_ms = util::wall_clock_ms();
    m_marked.clear();
    for (const VerdictEntry& v : m_feedback.verdicts)
        if (v.verdict == Verdict::anomaly && v.template_id != 0) m_marked.insert(v.template_id);
}

void FeedbackFilter::push(ScoreRecord& r) {
    if (!r.anomaly) {  // --all rows below the threshold are not alerts; nothing to judge
        m_out.push(r);
        return;
    }
    switch (m_feedback.judge(r, m_now_ms)) {
    case Feedback::Decision::suppress:
        ++m_suppressed;
        return;
    case Feedback::Decision::force:
        if (std::find(r.reasons.begin(), r.reasons.end(), "marked anomalous by feedback") == r.reasons.end())
            r.reasons.insert(r.reasons.begin(), "marked anomalous by feedback");
        break;
    case Feedback::Decision::keep:
        break;
    }
    m_out.push(r);
}

void FeedbackFilter::note_event(const Event& e) {
    if (m_marked.empty() || !m_marked.count(e.template_id)) return;
    const std::int64_t t = e.record.has_time() ? e.record.ts_ms : m_now_ms;
    if (!m_feedback.marked_anomaly(e.template_id, t)) return;
    ++m_forced;
    m_record = ScoreRecord{};
    m_record.per = "line";
    m_record.detector = "feedback";
    m_record.score = 1;
    m_record.threshold = 0;
    m_record.anomaly = true;
    m_record.first_line = e.record.line;
    m_record.last_line = e.record.line + e.record.line_count - 1;
    m_record.start_ms = m_record.end_ms = e.record.ts_ms;
    m_record.template_id = e.template_id;
    m_record.template_text = e.template_text;
    m_record.message = e.record.message.size() <= 1000 ? e.record.message : e.record.message.substr(0, 1000) + "...";
    m_record.reasons.push_back("marked anomalous by feedback");
    m_out.push(m_record);
}

}  // namespace logad::pipeline
