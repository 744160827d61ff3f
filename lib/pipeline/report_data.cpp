// What `logad report` shows (report_data.hpp), gathered from the lines score_stream.hpp and
// event_json.hpp read.
#include <logad/pipeline/report_data.hpp>

#include <logad/pipeline/signal_kind.hpp>

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/pipeline/score_stream.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace logad::pipeline {
namespace {

// Halves a sample in place (every other element), so a long input keeps an even spread.
template <class T>
void thin(std::vector<T>& v) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); i += 2) v[out++] = v[i];
    v.resize(out);
}

std::string time_text(std::int64_t ms) { return ms == k_no_time ? std::string() : util::rfc3339_ms(ms); }

// Signals are told from detectors by their name (score_record.hpp); the report counts a line's
// template from detector rows only and marks templates the new-template signal reported.
bool is_new_template_signal(const std::string& detector) { return signal_of_detector(detector) == SignalKind::new_template; }

}  // namespace

bool ReportData::add_record(std::string_view line) {
    ScoreLine read;
    try {
        read = read_score_line(line, "");
    } catch (const InputError&) {
        return false;  // damaged or not a record: counted as skipped by the caller
    }
    if (read.kind == ScoreLine::Kind::incident) {
        if (read.incident.state == Incident::State::closed)
            add_incident(read.incident);
        else
            ++opened;  // its closing record tells the whole story
        return true;
    }
    if (!read.scored || !read.threshold_given) return false;
    add_score(read.record, read.kind == ScoreLine::Kind::table_row);
    return true;
}

void ReportData::add_score(const ScoreRecord& r, bool table_row) {
    ++records;
    const double ratio = r.threshold > 0 ? r.score / r.threshold : (r.anomaly ? 2.0 : 0.0);
    const std::string per = r.per.empty() ? "row" : r.per;
    const std::string detector = r.detector.empty() ? "model" : r.detector;

    std::int64_t at = r.start_ms;
    if (at == k_no_time) {
        times = false;
        at = static_cast<std::int64_t>(r.first_line);
    }
    first = std::min(first, at);
    last = std::max(last, at);

    if (r.template_id != 0 && !r.template_text.empty()) {
        ReportTemplate& t = templates[r.template_id];
        if (t.text.empty()) t.text = r.template_text;
        if (events == 0 && per == "line" && !is_signal_detector(detector)) ++t.count;  // counted from events when given
        if (is_new_template_signal(detector) && r.anomaly) t.is_new = true;
    }

    if (points.size() >= 2 * k_points) {
        thin(points);
        m_point_stride *= 2;
    }
    if (r.anomaly || records % m_point_stride == 0) points.push_back({at, ratio, r.anomaly});
    if (!r.anomaly) return;

    ++anomalies;
    ++anomalies_by_detector[detector];
    ReportAnomaly a;
    a.ratio = ratio;
    a.per = per;
    a.detector = detector;
    if (!r.key.empty())
        a.covers = "key " + r.key;
    else if (table_row)
        a.covers = fmt::format("row {}", r.first_line);
    else if (per == "line")
        a.covers = fmt::format("line {}", r.first_line);
    else if (r.first_line > 0)  // an empty window covers no line
        a.covers = fmt::format("lines {}-{}", r.first_line, r.last_line);
    const std::string start = time_text(r.start_ms);
    a.when = start.empty() ? std::string() : start + (r.end_ms != k_no_time && per != "line" ? " .. " + time_text(r.end_ms) : "");
    a.template_text = r.template_text;
    a.message = r.message;
    a.reasons = r.reasons;
    keep_top(std::move(a));
}

bool ReportData::add_event(std::string_view line) {
    Event e;
    if (!read_event_json(line, e).empty() || e.template_id == 0) return false;
    ++events;
    ReportTemplate& t = templates[e.template_id];
    ++t.count;
    if (t.text.empty()) t.text = e.template_text;
    if (e.record.ts_ms == k_no_time) return true;
    if (event_times.size() >= 2 * k_points) {
        thin(event_times);
        m_event_stride *= 2;
    }
    if (events % m_event_stride == 0) event_times.push_back(e.record.ts_ms);
    return true;
}

void ReportData::add_incident(const Incident& j) {
    ++incidents;
    ReportIncident i;
    i.id = j.id;
    i.score = j.score;
    i.lines = j.lines;
    i.records = j.records;
    i.kind = j.kind;
    i.subject = !j.template_text.empty() ? j.template_text : j.key;
    const std::string start = time_text(j.start_ms), end = time_text(j.end_ms);
    i.when = start.empty() ? std::string() : start + (end.empty() || end == start ? "" : " .. " + end);
    const std::string& file = j.file;
    const std::string& last_file = j.last_file;
    const std::string in = file.empty() ? "" : file + ": ";
    if (j.first_line > 0 && file != last_file)
        i.covers = fmt::format("{}: line {} to {}: line {}", file, j.first_line, last_file, j.last_line);
    else if (j.first_line > 0)
        i.covers = j.first_line == j.last_line ? fmt::format("{}line {}", in, j.first_line) : fmt::format("{}lines {}-{}", in, j.first_line, j.last_line);
    i.detectors = j.detectors;
    i.reasons = j.reasons;
    i.examples = j.examples;
    const auto by_score = [](const ReportIncident& x, const ReportIncident& y) { return x.score > y.score; };
    if (top_incidents.size() == k_top && !by_score(i, top_incidents.back())) return;
    top_incidents.insert(std::upper_bound(top_incidents.begin(), top_incidents.end(), i, by_score), std::move(i));
    if (top_incidents.size() > k_top) top_incidents.pop_back();
}

void ReportData::keep_top(ReportAnomaly a) {
    const auto by_ratio = [](const ReportAnomaly& x, const ReportAnomaly& y) { return x.ratio > y.ratio; };
    if (top.size() == k_top && !by_ratio(a, top.back())) return;
    top.insert(std::upper_bound(top.begin(), top.end(), a, by_ratio), std::move(a));
    if (top.size() > k_top) top.pop_back();
}

}  // namespace logad::pipeline
