#include <logad/pipeline/incidents.hpp>

#include <logad/pipeline/signal_kind.hpp>
#include <logad/util/json_writer.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

// How far past its bar a record went, 1 = at the bar, comparable across detectors.
double severity(const ScoreRecord& r) {
    if (r.threshold > 0) return r.score / r.threshold;
    return 1 + (r.score - r.threshold) / std::max(std::abs(r.threshold), 1.0);
}

std::int64_t record_time(const ScoreRecord& r) { return r.end_ms != k_no_time ? r.end_ms : r.start_ms; }

std::int64_t incident_time(const Incident& i) { return i.end_ms != k_no_time ? i.end_ms : i.start_ms; }

// A text an incident keeps, cut to k_max_text bytes (at a UTF-8 character's start) with a
// marker saying how much went: incidents stay open for minutes, thousands at once, and a huge
// unique line would otherwise be held whole as template, example and key.
std::string incident_text(std::string_view text) {
    constexpr std::size_t max = IncidentTracker::k_max_text;
    if (text.size() <= max) return std::string(text);
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    std::string cut(text.substr(0, end));
    cut += " ... [" + std::to_string(text.size() - end) + " bytes cut]";
    return cut;
}

void add_distinct(std::vector<std::string>& to, const std::string& value, std::size_t cap) {
    if (value.empty() || to.size() >= cap) return;
    std::string kept = incident_text(value);
    if (std::find(to.begin(), to.end(), kept) == to.end()) to.push_back(std::move(kept));
}

// A signal's name without its prefix ("burst"), else the detector as it is.
std::string kind_of(const std::string& detector) {
    return is_signal_detector(detector) ? detector.substr(k_signal_prefix.size()) : detector;
}

// One more record's scope: the values seen widen the range of the same target.
void add_scope(std::vector<RecordScope>& scopes, const RecordScope& s) {
    for (RecordScope& have : scopes) {
        if (!have.same_target(s)) continue;
        if (s.ranged()) {
            have.low = have.ranged() ? std::min(have.low, s.low) : s.low;
            have.high = have.ranged() ? std::max(have.high, s.high) : s.high;
        }
        return;
    }
    if (scopes.size() < IncidentTracker::k_max_scopes) scopes.push_back(s);
}

// Sweeping every open incident on every record would cost O(open) per record in a flood: sweep
// when the stream has moved on by this much since the last sweep.
constexpr std::int64_t k_sweep_ms = 1000;
constexpr std::uint64_t k_sweep_lines = 256;

}  // namespace

void append_incident_json(std::string& out, const Incident& i) {
    util::JsonObject o(out);
    o.key("per").str("incident").key("incident").integer(static_cast<std::int64_t>(i.id));
    o.key("state").str(i.state == Incident::State::open ? "open" : "closed");
    o.key("kind").str(i.kind).key("about").str(i.about);
    o.key("detectors").strings(i.detectors);
    o.key("score").num(i.score);
    o.key("first_line").integer(static_cast<std::int64_t>(i.first_line));
    o.key("last_line").integer(static_cast<std::int64_t>(i.last_line));
    if (!i.file.empty()) o.key("file").str(i.file);
    if (i.last_file != i.file) o.key("last_file").str(i.last_file);
    if (i.start_ms != k_no_time) o.key("start").time_ms(i.start_ms);
    if (i.end_ms != k_no_time) o.key("end").time_ms(i.end_ms);
    o.key("lines").integer(static_cast<std::int64_t>(i.lines));
    o.key("records").integer(static_cast<std::int64_t>(i.records));
    if (i.template_id != 0) o.key("template_id").integer(i.template_id);
    if (!i.template_text.empty()) o.key("template").str(i.template_text);
    if (!i.key.empty()) o.key("key").str(i.key);
    o.key("reasons").strings(i.reasons);
    o.key("examples").strings(i.examples);
    if (i.level != Level::unknown) o.key("level").str(level_name(i.level));
    o.key("scopes");
    out.push_back('[');
    for (std::size_t n = 0; n < i.scopes.size(); ++n) {
        const RecordScope& s = i.scopes[n];
        if (n) out.push_back(',');
        util::JsonObject so(out);
        so.key("per").str(s.per).key("detector").str(s.detector);
        if (s.template_id != 0) so.key("template_id").integer(s.template_id);
        if (!s.key.empty()) so.key("key").str(s.key);
        if (!s.feature.empty()) so.key("feature").str(s.feature);
        if (s.slot >= 0) so.key("slot").integer(s.slot + 1);
        if (s.ranged()) so.key("low").num(s.low).key("high").num(s.high);
        so.close();
    }
    out.push_back(']');
    o.close();
    out.push_back('\n');
}

IncidentTracker::IncidentTracker(IncidentOptions options, Sink<Incident>& out) : m_o(options), m_out(out) {}

bool IncidentTracker::quiet(const Incident& i, bool silent) const {
    const std::int64_t t = incident_time(i);
    if (t == k_no_time || m_now_ms == k_no_time) return m_now_line > i.last_line + m_o.gap_lines;
    const std::int64_t quiet_ms = m_now_ms - t;
    // Time alone only when the stream went silent (advance_to): in a log whose times are out of
    // order, one line stamped far ahead would otherwise end every incident.
    if (silent && quiet_ms > m_o.max_quiet * m_o.gap_ms) return true;
    const bool moved_on = m_events == 0 || m_events >= i.last_event + m_o.gap_events;
    return quiet_ms > m_o.gap_ms && moved_on;
}

std::string IncidentTracker::group_of(const ScoreRecord& r) const {
    if (r.template_id != 0) return "t" + std::to_string(r.template_id);
    if (!r.key.empty()) return "k" + incident_text(r.key);  // as the incident shows it
    const auto last = m_open.find(m_last_group);
    if (last != m_open.end() && !quiet(last->second, false)) return m_last_group;
    return "d" + r.per + "/" + r.detector;
}

void IncidentTracker::push(ScoreRecord& r) {
    if (!r.anomaly) return;
    const std::int64_t t = record_time(r);
    const std::int64_t before_ms = m_now_ms;
    const std::uint64_t before_line = m_now_line;
    if (t != k_no_time) m_now_ms = m_now_ms == k_no_time ? t : std::max(m_now_ms, t);
    m_now_line = std::max(m_now_line, r.last_line);
    if (before_ms == k_no_time || m_now_ms - before_ms >= k_sweep_ms || m_now_line - before_line >= k_sweep_lines)
        close_quiet(false);

    const std::string group = group_of(r);
    auto it = m_open.find(group);
    if (it != m_open.end() && quiet(it->second, false)) {  // not swept yet: it ended before this record
        close(it);
        it = m_open.end();
    }
    const bool opens = it == m_open.end();
    if (opens) {
        if (m_open.size() >= m_o.max_open) {
            auto stalest = m_open.begin();
            for (auto o = m_open.begin(); o != m_open.end(); ++o)
                if (o->second.last_line < stalest->second.last_line) stalest = o;
            close(stalest);
        }
        it = m_open.emplace(group, Incident{}).first;
        Incident& i = it->second;
        i.id = m_next_id++;
        i.kind = kind_of(r.detector);
        i.about = r.template_id != 0 ? "template" : !r.key.empty() ? "key" : "detector";
        i.first_line = r.first_line;
        i.file = i.last_file = r.file;
        i.start_ms = r.start_ms;
        i.template_id = r.template_id;
        i.template_text = incident_text(r.template_text);
        i.key = incident_text(r.key);
    }
    Incident& i = it->second;
    // Line numbers restart in each file: compare them only within one.
    if (r.file == i.file && i.last_file == i.file) i.first_line = std::min(i.first_line, r.first_line);
    if (r.file == i.last_file) {
        i.last_line = std::max(i.last_line, r.last_line);
    } else {
        i.last_file = r.file;
        i.last_line = r.last_line;
    }
    if (r.start_ms != k_no_time) i.start_ms = i.start_ms == k_no_time ? r.start_ms : std::min(i.start_ms, r.start_ms);
    if (t != k_no_time) i.end_ms = i.end_ms == k_no_time ? t : std::max(i.end_ms, t);
    ++i.records;
    i.last_event = m_events;
    if (r.per == "line") ++i.lines;
    if (i.template_text.empty()) i.template_text = incident_text(r.template_text);
    add_distinct(i.detectors, r.detector, 16);
    i.score = std::max(i.score, severity(r));
    for (const auto& reason : r.reasons) add_distinct(i.reasons, reason, k_max_reasons);
    if (r.per == "line") {
        add_distinct(i.examples, r.message, k_max_examples);
        i.level = std::max(i.level, r.level);
    }
    add_scope(i.scopes, scope_of(r));
    m_last_group = group;
    if (opens) m_out.push(i);
}

void IncidentTracker::advance_to(std::int64_t event_time_ms) {
    if (event_time_ms == k_no_time || (m_now_ms != k_no_time && event_time_ms <= m_now_ms)) return;
    m_now_ms = event_time_ms;
    close_quiet(true);
}

void IncidentTracker::close(std::map<std::string, Incident>::iterator it) {
    it->second.state = Incident::State::closed;
    m_out.push(it->second);
    m_open.erase(it);
}

void IncidentTracker::close_quiet(bool silent) {
    std::vector<std::map<std::string, Incident>::iterator> done;
    for (auto it = m_open.begin(); it != m_open.end(); ++it)
        if (quiet(it->second, silent)) done.push_back(it);
    // In the order they opened, so the output does not depend on the group names.
    std::sort(done.begin(), done.end(), [](auto a, auto b) { return a->second.id < b->second.id; });
    for (auto it : done) close(it);
}

void IncidentTracker::finish() {
    std::vector<std::map<std::string, Incident>::iterator> all;
    for (auto it = m_open.begin(); it != m_open.end(); ++it) all.push_back(it);
    std::sort(all.begin(), all.end(), [](auto a, auto b) { return a->second.id < b->second.id; });
    for (auto it : all) close(it);
    m_out.finish();
}

}  // namespace logad::pipeline
