#pragma once
// What `logad report` shows, gathered from score and incident records (and optionally the events
// they came from) in one pass with bounded memory: counts per time bucket, the largest
// incidents, the top anomalies, templates. The lines are read by score_stream.hpp (records,
// incidents) and event_json.hpp (events); the caller reads the files.

#include <logad/export.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace logad::pipeline {

struct Incident;
struct ScoreRecord;

struct ReportAnomaly {
    double ratio = 0;  // score / threshold: comparable across detectors (1 = at the bar)
    std::string per, detector, covers, when, template_text, message;
    std::vector<std::string> reasons;
};

// A closed incident of `logad score` (its closing record holds the whole story).
struct ReportIncident {
    std::uint64_t id = 0, lines = 0, records = 0;
    double score = 0;  // highest score / threshold of its records
    std::string kind, subject, when, covers;
    std::vector<std::string> detectors, reasons, examples;
};

struct ReportTemplate {
    std::uint64_t count = 0;
    std::string text;
    bool is_new = false;  // reported by the new-template signal
};

struct ReportPoint {
    std::int64_t at = 0;  // ms since the epoch, or a line number when the input has no times
    double ratio = 0;
    bool anomaly = false;
};

class LOGAD_API ReportData {
public:
    static constexpr std::size_t k_top = 100;       // anomalies kept for the table
    static constexpr std::size_t k_points = 20000;  // score points kept for the chart

    // One NDJSON line of `logad score` output; returns false when it is neither a score record
    // nor an incident record (or is a damaged one: the report shows what it can).
    bool add_record(std::string_view json_line);
    // One NDJSON line of `logad parse` output; returns false when it is not an event.
    bool add_event(std::string_view json_line);

    std::uint64_t records = 0, anomalies = 0, events = 0;
    std::uint64_t incidents = 0, opened = 0;  // closing and opening incident records
    std::vector<ReportIncident> top_incidents;  // highest score first, at most k_top
    std::map<std::string, std::uint64_t> anomalies_by_detector;
    bool times = true;  // false once a record without a time was seen: the x axis is lines
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    std::vector<std::int64_t> event_times;  // for the volume chart (sampled past k_points)
    std::vector<ReportPoint> points;
    std::vector<ReportAnomaly> top;  // highest ratio first, at most k_top
    std::map<std::uint32_t, ReportTemplate> templates;

    // How many inputs one kept sample stands for (samples are thinned evenly on long inputs).
    std::uint64_t event_weight() const { return m_event_stride; }
    std::uint64_t point_weight() const { return m_point_stride; }

private:
    void keep_top(ReportAnomaly a);
    void add_score(const ScoreRecord& r, bool table_row);
    void add_incident(const Incident& i);
    std::uint64_t m_event_stride = 1, m_point_stride = 1;
};

}  // namespace logad::pipeline
