#include <logad/util/json_integer.hpp>
#include <logad/pipeline/feedback.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

constexpr const char* k_forced_reason = "marked anomalous by feedback";

std::string_view state_name(VerdictState s) {
    switch (s) {
    case VerdictState::active: return "active";
    case VerdictState::absorbed: return "absorbed";
    case VerdictState::retired: return "retired";
    }
    return "active";
}

std::string short_value(double v) {
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(v)));
    return fmt::format("{:.4g}", v);
}

// A verdict of feedback version 1: a whole template, or a reason pattern (now retired).
VerdictEntry read_v1(const nlohmann::json& e, const std::string& origin) {
    VerdictEntry v;
    if (e.contains("template_id")) {
        v.template_id = util::json_integer<std::uint32_t>(e.at("template_id"));
    } else {
        v.reason = e.at("reason").get<std::string>();
        v.state = VerdictState::retired;
    }
    if (v.template_id == 0 && v.reason.empty())
        throw FormatError(fmt::format("{}: a feedback verdict names neither a template nor a reason", origin));
    return v;
}

VerdictEntry read_v2(const nlohmann::json& e, const std::string& origin) {
    VerdictEntry v;
    v.id = util::json_integer<std::uint64_t>(e.at("id"));
    const std::string state = e.value("state", "active");
    if (state == "absorbed")
        v.state = VerdictState::absorbed;
    else if (state == "retired")
        v.state = VerdictState::retired;
    else if (state != "active")
        throw FormatError(fmt::format("{}: feedback verdict {} has an unknown state '{}'", origin, v.id, state));
    v.per = e.value("per", "");
    v.detector = e.value("detector", "");
    if (e.contains("template_id")) v.template_id = util::json_integer<std::uint32_t>(e.at("template_id"));
    v.template_text = e.value("template", "");
    v.key = e.value("key", "");
    v.feature = e.value("feature", "");
    if (e.contains("slot")) v.slot = util::json_integer<int>(e.at("slot")) - 1;
    if (e.contains("low")) v.low = e.at("low").get<double>();
    if (e.contains("high")) v.high = e.at("high").get<double>();
    if (e.contains("margin")) v.margin = e.at("margin").get<double>();
    v.reason = e.value("reason", "");
    if (e.contains("silenced")) v.silenced = util::json_integer<std::uint64_t>(e.at("silenced"));
    if (e.contains("last_silenced")) v.last_silenced_ms = parse_date_ms(e.at("last_silenced").get<std::string>());
    if (e.contains("examples"))
        for (const auto& x : e.at("examples")) {
            if (v.examples.size() == k_max_verdict_examples) break;
            v.examples.push_back({x.at("message").get<std::string>(), parse_level(x.value("level", ""))});
        }
    if (v.slot < -1 || (v.ranged() && (v.low > v.high || !std::isfinite(v.margin) || v.margin < 0)))
        throw FormatError(fmt::format("{}: feedback verdict {} has a bad slot or range", origin, v.id));
    if (v.state != VerdictState::retired && v.template_id == 0 && v.key.empty() && v.feature.empty())
        throw FormatError(fmt::format("{}: feedback verdict {} names no template, key or feature", origin, v.id));
    return v;
}

}  // namespace

bool VerdictEntry::same_scope(const VerdictEntry& o) const {
    return per == o.per && detector == o.detector && template_id == o.template_id && key == o.key && feature == o.feature &&
           slot == o.slot && (state == VerdictState::retired) == (o.state == VerdictState::retired) &&
           (state != VerdictState::retired || reason == o.reason);
}

bool VerdictEntry::covers(const ScoreRecord& r) const {
    if (template_id != 0 && r.template_id != template_id) return false;
    if (!per.empty() && r.per != per) return false;
    if (!detector.empty() && r.detector != detector) return false;
    if (!key.empty() && r.key != key) return false;
    if (!feature.empty() && r.feature != feature) return false;
    if (slot >= 0 && r.slot != slot) return false;
    if (ranged()) return r.has_value() && r.value >= low - margin && r.value <= high + margin;
    return true;
}

std::string VerdictEntry::scope_text() const {
    if (state == VerdictState::retired) return fmt::format("reason `{}` (every template; feedback version 1)", reason);
    std::string s;
    auto part = [&s](const std::string& text) {
        if (!s.empty()) s += ", ";
        s += text;
    };
    if (template_id != 0) {
        const std::string text = template_text.size() <= 60 ? template_text : template_text.substr(0, 57) + "...";
        part(text.empty() ? fmt::format("template {}", template_id) : fmt::format("template {} `{}`", template_id, text));
    }
    if (!key.empty()) part(fmt::format("key {}", key));
    part(detector.empty() ? std::string("every detector") : (per.empty() ? detector : per + " " + detector));
    if (!feature.empty()) part(fmt::format("column {}", feature));
    const std::string what = slot >= 0 ? fmt::format("param {}", slot + 1) : std::string("value");
    if (ranged()) {
        const std::string marked = low == high ? "= " + short_value(low) : short_value(low) + " to " + short_value(high);
        part(fmt::format("{} {} (accepted {} to {})", what, marked, short_value(low - margin), short_value(high + margin)));
    }
    return s;
}

std::uint64_t Feedback::add(VerdictEntry entry) {
    auto old = std::find_if(verdicts.begin(), verdicts.end(), [&](const VerdictEntry& v) { return v.same_scope(entry); });
    if (old != verdicts.end()) {
        entry.id = old->id;
        entry.silenced = old->silenced;
        entry.last_silenced_ms = old->last_silenced_ms;
        if (old->verdict == Verdict::normal && entry.verdict == Verdict::normal && old->ranged() && entry.ranged() &&
            old->state == VerdictState::active) {
            entry.low = std::min(entry.low, old->low);
            entry.high = std::max(entry.high, old->high);
            entry.margin = std::max(entry.margin, old->margin);
        }
        for (const VerdictExample& x : old->examples)
            if (entry.examples.size() < k_max_verdict_examples && std::find(entry.examples.begin(), entry.examples.end(), x) == entry.examples.end())
                entry.examples.push_back(x);
        verdicts.erase(old);
    } else {
        if (verdicts.size() >= k_max_verdicts)
            throw UsageError(fmt::format("the model holds {} verdicts, the most it keeps; remove some (logad feedback "
                                         "--remove ID, --prune-expired) first",
                                         verdicts.size()));
        entry.id = next_id++;
    }
    const std::uint64_t id = entry.id;
    verdicts.push_back(std::move(entry));
    return id;
}

bool Feedback::remove(std::uint64_t id) {
    return std::erase_if(verdicts, [&](const VerdictEntry& v) { return v.id == id; }) != 0;
}

std::size_t Feedback::prune_expired(std::int64_t now_ms) {
    return std::erase_if(verdicts, [&](const VerdictEntry& v) { return v.expired(now_ms) || v.state == VerdictState::retired; });
}

void Feedback::add_counts(const std::vector<VerdictCount>& counts) {
    for (const VerdictCount& c : counts)
        for (VerdictEntry& v : verdicts) {
            if (v.id != c.id) continue;
            v.silenced += c.silenced;
            if (c.last_ms != k_no_time) v.last_silenced_ms = std::max(v.last_silenced_ms, c.last_ms);
        }
}

nlohmann::json Feedback::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const VerdictEntry& v : verdicts) {
        nlohmann::json j;
        j["id"] = v.id;
        j["verdict"] = v.verdict == Verdict::normal ? "normal" : "anomaly";
        j["state"] = state_name(v.state);
        if (!v.per.empty()) j["per"] = v.per;
        if (!v.detector.empty()) j["detector"] = v.detector;
        if (v.template_id != 0) j["template_id"] = v.template_id;
        if (!v.template_text.empty()) j["template"] = v.template_text;
        if (!v.key.empty()) j["key"] = v.key;
        if (!v.feature.empty()) j["feature"] = v.feature;
        if (v.slot >= 0) j["slot"] = v.slot + 1;
        if (v.ranged()) {
            j["low"] = v.low;
            j["high"] = v.high;
            j["margin"] = v.margin;
        }
        if (!v.reason.empty()) j["reason"] = v.reason;
        if (v.until_ms != k_no_time) j["until"] = util::rfc3339_ms(v.until_ms);
        if (v.added_ms != k_no_time) j["added"] = util::rfc3339_ms(v.added_ms);
        if (!v.note.empty()) j["note"] = v.note;
        j["silenced"] = v.silenced;
        if (v.last_silenced_ms != k_no_time) j["last_silenced"] = util::rfc3339_ms(v.last_silenced_ms);
        if (!v.examples.empty()) {
            nlohmann::json examples = nlohmann::json::array();
            for (const VerdictExample& x : v.examples) {
                nlohmann::json one = {{"message", x.message}};
                if (x.level != Level::unknown) one["level"] = level_name(x.level);
                examples.push_back(std::move(one));
            }
            j["examples"] = std::move(examples);
        }
        list.push_back(std::move(j));
    }
    return {{"version", k_version}, {"next_id", next_id}, {"verdicts", std::move(list)}};
}

Feedback Feedback::from_json(const nlohmann::json& j, const std::string& origin) {
    Feedback f;
    try {
        const int version = util::json_integer<int>(j.at("version"));
        if (version > k_version)
            throw FormatError(fmt::format("{} holds feedback version {}, newer than this logad reads ({}); upgrade logad",
                                          origin, version, k_version));
        if (version < util::k_feedback_section.oldest_readable)
            throw FormatError(fmt::format("{} holds feedback of unknown version {}", origin, version));
        for (const auto& e : j.at("verdicts")) {
            if (f.verdicts.size() >= k_max_verdicts)
                throw FormatError(fmt::format("{}: more than {} feedback verdicts; the model file is damaged", origin, k_max_verdicts));
            VerdictEntry v = version == 1 ? read_v1(e, origin) : read_v2(e, origin);
            const std::string verdict = e.at("verdict").get<std::string>();
            if (verdict != "normal" && verdict != "anomaly")
                throw FormatError(fmt::format("{}: feedback verdict '{}' is neither normal nor anomaly", origin, verdict));
            v.verdict = verdict == "normal" ? Verdict::normal : Verdict::anomaly;
            if (e.contains("until")) v.until_ms = parse_date_ms(e.at("until").get<std::string>());
            if (e.contains("added")) v.added_ms = parse_date_ms(e.at("added").get<std::string>());
            if (e.contains("note")) v.note = e.at("note").get<std::string>();
            if (version == 1) v.id = f.verdicts.size() + 1;  // in the order given
            f.verdicts.push_back(std::move(v));
        }
        std::uint64_t top = 0;
        for (const VerdictEntry& v : f.verdicts) top = std::max(top, v.id);
        f.next_id = std::max(top + 1, j.contains("next_id") ? util::json_integer<std::uint64_t>(j.at("next_id")) : 1);
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

Feedback::Decision Feedback::judge(const ScoreRecord& r, std::int64_t now_ms, int* by) const {
    if (by) *by = -1;
    if (verdicts.empty()) return Decision::keep;
    const std::int64_t t = r.end_ms != k_no_time ? r.end_ms : r.start_ms != k_no_time ? r.start_ms : now_ms;
    for (auto it = verdicts.rbegin(); it != verdicts.rend(); ++it) {  // the latest first
        if (it->state != VerdictState::active || it->expired(t) || !it->covers(r)) continue;
        if (by) *by = static_cast<int>(verdicts.rend() - it - 1);
        return it->verdict == Verdict::normal ? Decision::suppress : Decision::force;
    }
    return Decision::keep;
}

const VerdictEntry* Feedback::marked_anomaly(std::uint32_t template_id, std::int64_t t) const {
    if (template_id == 0) return nullptr;
    for (auto it = verdicts.rbegin(); it != verdicts.rend(); ++it) {
        if (it->state != VerdictState::active || it->template_id != template_id || it->expired(t)) continue;
        // The latest verdict on the whole template decides; a scoped normal one does not undo it.
        if (!it->per.empty() || !it->detector.empty() || !it->feature.empty() || it->slot >= 0) continue;
        return it->verdict == Verdict::anomaly ? &*it : nullptr;
    }
    return nullptr;
}

FeedbackFilter::FeedbackFilter(Feedback feedback, Sink<ScoreRecord>& out) : m_out(out) { replace(std::move(feedback)); }

void FeedbackFilter::replace(Feedback feedback) {
    std::vector<VerdictCount> pending = take_counts();
    m_feedback = std::move(feedback);
    m_now_ms = util::wall_clock_ms();
    m_counts.assign(m_feedback.verdicts.size(), VerdictCount{});
    m_marked.clear();
    m_by_template.clear();
    m_untemplated.clear();
    for (std::size_t i = 0; i < m_feedback.verdicts.size(); ++i) {
        const VerdictEntry& v = m_feedback.verdicts[i];
        if (v.state == VerdictState::active)
            (v.template_id != 0 ? m_by_template[v.template_id] : m_untemplated).push_back(static_cast<int>(i));
        m_counts[i].id = v.id;
        for (const VerdictCount& c : pending)
            if (c.id == v.id) m_counts[i] = c;
        if (v.verdict == Verdict::anomaly && v.template_id != 0 && v.state == VerdictState::active) m_marked.insert(v.template_id);
    }
}

std::vector<VerdictCount> FeedbackFilter::take_counts() {
    std::vector<VerdictCount> out;
    for (VerdictCount& c : m_counts) {
        if (c.silenced == 0) continue;
        out.push_back(c);
        c.silenced = 0;
        c.last_ms = k_no_time;
    }
    return out;
}

void FeedbackFilter::push(ScoreRecord& r) {
    if (!r.anomaly) {  // --all rows below the threshold are not alerts; nothing to judge
        m_out.push(r);
        return;
    }
    // As Feedback::judge, on the verdicts that can cover this record: the latest that does.
    const std::int64_t t = r.end_ms != k_no_time ? r.end_ms : r.start_ms != k_no_time ? r.start_ms : m_now_ms;
    auto latest = [&](const std::vector<int>& among) {
        for (auto it = among.rbegin(); it != among.rend(); ++it) {
            const VerdictEntry& v = m_feedback.verdicts[static_cast<std::size_t>(*it)];
            if (!v.expired(t) && v.covers(r)) return *it;
        }
        return -1;
    };
    const auto named = r.template_id != 0 ? m_by_template.find(r.template_id) : m_by_template.end();
    const int by = std::max(named != m_by_template.end() ? latest(named->second) : -1, latest(m_untemplated));
    const Feedback::Decision decision = by < 0                                                                   ? Feedback::Decision::keep
                                        : m_feedback.verdicts[static_cast<std::size_t>(by)].verdict == Verdict::normal ? Feedback::Decision::suppress
                                                                                                                    : Feedback::Decision::force;
    switch (decision) {
    case Feedback::Decision::suppress: {
        ++m_suppressed;
        VerdictCount& c = m_counts[static_cast<std::size_t>(by)];
        ++c.silenced;
        const std::int64_t t = r.end_ms != k_no_time ? r.end_ms : r.start_ms;
        if (t != k_no_time) c.last_ms = std::max(c.last_ms, t);
        return;
    }
    case Feedback::Decision::force: {
        if (std::find(r.reasons.begin(), r.reasons.end(), k_forced_reason) == r.reasons.end())
            r.reasons.insert(r.reasons.begin(), k_forced_reason);
        break;
    }
    case Feedback::Decision::keep:
        break;
    }
    m_out.push(r);
}

void FeedbackFilter::note_event(const Event& e) {
    if (m_marked.empty() || !m_marked.count(e.template_id)) return;
    const std::int64_t t = e.record.has_time() ? e.record.ts_ms : m_now_ms;
    const VerdictEntry* v = m_feedback.marked_anomaly(e.template_id, t);
    if (v == nullptr) return;
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
    m_record.reasons.push_back(k_forced_reason);
    // What the person saw when they gave it, so the alert says why it matters.
    if (!v->reason.empty()) m_record.reasons.push_back("verdict given on: " + v->reason);
    m_out.push(m_record);
}

}  // namespace logad::pipeline
