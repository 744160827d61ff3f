#include "report_data.hpp"

#include <logad/util/civil_time.hpp>
#include <logad/util/json_depth.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <logad/util/json_integer.hpp>

#include <charconv>

namespace logad::cli {
namespace {

using nlohmann::json;

template <class T>
T get_or(const json& j, const char* key, T fallback) {
    const auto it = j.find(key);
    if (it == j.end()) return fallback;
    try {
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
            return util::json_integer<T>(*it);  // 1e308 where an integer belongs: the fallback, not UB
        else
            return it->get<T>();
    } catch (const json::exception&) {
        return fallback;
    }
}

// Halves a sample in place (every other element), so a long input keeps an even spread.
template <class T>
void thin(std::vector<T>& v) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); i += 2) v[out++] = v[i];
    v.resize(out);
}

}  // namespace

std::int64_t parse_rfc3339_ms(std::string_view s) noexcept {
    std::int64_t ms = 0;
    return util::parse_rfc3339_ms(s, ms) ? ms : INT64_MIN;
}

bool ReportData::add_record(std::string_view line) {
    if (util::json_too_deep(line)) return false;  // untrusted input: refused before parsing
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && get_or<std::string>(j, "per", "") == "incident") {
        if (get_or<std::string>(j, "state", "") == "closed")
            add_incident(j);
        else
            ++opened;  // its closing record tells the whole story
        return true;
    }
    if (!j.is_object() || !j.contains("score") || !j.contains("threshold")) return false;
    ++records;
    const double score = get_or(j, "score", 0.0), threshold = get_or(j, "threshold", 0.0);
    const bool anomaly = get_or(j, "anomaly", score > threshold);
    const double ratio = threshold > 0 ? score / threshold : (anomaly ? 2.0 : 0.0);
    const std::string per = get_or<std::string>(j, "per", "row");
    const std::string detector = get_or<std::string>(j, "detector", "model");

    const std::string start = get_or<std::string>(j, "start", "");
    std::int64_t at = parse_rfc3339_ms(start);
    const auto first_line = get_or<std::int64_t>(j, "first_line", get_or<std::int64_t>(j, "row", 0));
    if (at == INT64_MIN) {
        times = false;
        at = first_line;
    }
    first = std::min(first, at);
    last = std::max(last, at);

    const auto template_id = get_or<std::uint32_t>(j, "template_id", 0);
    const std::string template_text = get_or<std::string>(j, "template", "");
    if (template_id != 0 && !template_text.empty()) {
        ReportTemplate& t = templates[template_id];
        if (t.text.empty()) t.text = template_text;
        if (events == 0 && per == "line" && detector.rfind("signal:", 0) != 0) ++t.count;  // counted from events when given
        if (detector == "signal:new_template" && anomaly) t.is_new = true;
    }

    if (points.size() >= 2 * k_points) {
        thin(points);
        m_point_stride *= 2;
    }
    if (anomaly || records % m_point_stride == 0) points.push_back({at, ratio, anomaly});
    if (!anomaly) return true;

    ++anomalies;
    ++anomalies_by_detector[detector];
    ReportAnomaly a;
    a.ratio = ratio;
    a.per = per;
    a.detector = detector;
    if (j.contains("key"))
        a.covers = "key " + get_or<std::string>(j, "key", "");
    else if (j.contains("line"))
        a.covers = fmt::format("line {}", get_or<std::int64_t>(j, "line", 0));
    else if (j.contains("row"))
        a.covers = fmt::format("row {}", get_or<std::int64_t>(j, "row", 0));
    else if (first_line > 0)  // an empty window covers no line
        a.covers = fmt::format("lines {}-{}", first_line, get_or<std::int64_t>(j, "last_line", first_line));
    a.when = start.empty() ? std::string() : start + (j.contains("end") && per != "line" ? " .. " + get_or<std::string>(j, "end", "") : "");
    a.template_text = template_text;
    a.message = get_or<std::string>(j, "message", "");
    if (const auto it = j.find("reasons"); it != j.end() && it->is_array())
        for (const auto& r : *it)
            if (r.is_string()) a.reasons.push_back(r.get<std::string>());
    keep_top(std::move(a));
    return true;
}

bool ReportData::add_event(std::string_view line) {
    if (util::json_too_deep(line)) return false;
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("template_id") || !j.contains("message")) return false;
    ++events;
    const auto id = get_or<std::uint32_t>(j, "template_id", 0);
    ReportTemplate& t = templates[id];
    ++t.count;
    if (t.text.empty()) t.text = get_or<std::string>(j, "template", "");
    const std::int64_t ts = parse_rfc3339_ms(get_or<std::string>(j, "ts", ""));
    if (ts == INT64_MIN) return true;
    if (event_times.size() >= 2 * k_points) {
        thin(event_times);
        m_event_stride *= 2;
    }
    if (events % m_event_stride == 0) event_times.push_back(ts);
    return true;
}

void ReportData::add_incident(const json& j) {
    ++incidents;
    ReportIncident i;
    i.id = get_or<std::uint64_t>(j, "incident", 0);
    i.score = get_or(j, "score", 0.0);
    i.lines = get_or<std::uint64_t>(j, "lines", 0);
    i.records = get_or<std::uint64_t>(j, "records", 0);
    i.kind = get_or<std::string>(j, "kind", "");
    i.subject = j.contains("template") ? get_or<std::string>(j, "template", "") : get_or<std::string>(j, "key", "");
    const std::string start = get_or<std::string>(j, "start", ""), end = get_or<std::string>(j, "end", "");
    i.when = start.empty() ? std::string() : start + (end.empty() || end == start ? "" : " .. " + end);
    const std::string file = get_or<std::string>(j, "file", ""), last_file = get_or<std::string>(j, "last_file", file);
    const auto first_line = get_or<std::int64_t>(j, "first_line", 0), last_line = get_or<std::int64_t>(j, "last_line", 0);
    const std::string in = file.empty() ? "" : file + ": ";
    if (first_line > 0 && file != last_file)
        i.covers = fmt::format("{}: line {} to {}: line {}", file, first_line, last_file, last_line);
    else if (first_line > 0)
        i.covers = first_line == last_line ? fmt::format("{}line {}", in, first_line) : fmt::format("{}lines {}-{}", in, first_line, last_line);
    for (const char* key : {"detectors", "reasons", "examples"}) {
        auto& to = key[0] == 'd' ? i.detectors : key[0] == 'r' ? i.reasons : i.examples;
        if (const auto it = j.find(key); it != j.end() && it->is_array())
            for (const auto& v : *it)
                if (v.is_string()) to.push_back(v.get<std::string>());
    }
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

}  // namespace logad::cli
