#pragma once
// Anomaly records and incidents as Elastic Common Schema (ECS) documents, one JSON object per
// line, for `logad score --output ecs`: Filebeat (filestream + ndjson parser), Logstash (json
// codec) and Elasticsearch's _bulk API take them as they are. The mapping, checked by a test
// against docs/ecs-output.schema.json:
//   @timestamp        the event time the alert is about (start, else end), else the wall clock
//   event.kind        "alert"
//   event.module      "logad";  event.dataset "logad.anomaly" | "logad.incident"
//   event.action      "anomaly" | "incident-opened" | "incident-closed"
//   event.severity    from score / threshold: 21 (below 1.5), 47 (below 3), 73 (below 10), 99
//                     (the low / medium / high / critical steps Elastic's detection rules use)
//   event.start, event.end, event.duration (ns)   the time covered, when known
//   rule.name         the detector: "iforest", "signal:new_template"... (an incident: its first)
//   rule.category     the granularity: line, window, session, incident
//   message           the reasons in words, joined with "; "
//   log.level         "warning" for severity 21 and 47, "error" above
//   labels            per, detector, template_id, key, incident, state (ECS labels: strings)
//   logad.*           what `--output ndjson` writes that ECS has no field for: score, threshold,
//                     line, first_line, last_line, file, template_id, template, log_message (the
//                     line's text), reasons, feature, slot, value; for incidents id, state, kind,
//                     about, detectors, lines, records, examples
//   ecs.version       k_ecs_version
// `--output ecs-bulk` writes the same documents for POST /<index>/_bulk: each after an action
// line {"create":{}}, which data streams require and plain indices accept.
#include <logad/export.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace logad::ops {

inline constexpr std::string_view k_ecs_version = "8.11.0";

// Each appends one document and a newline; `now_ms` is the wall clock for records without time.
LOGAD_API void append_ecs_record(std::string& out, const pipeline::ScoreRecord& record, std::int64_t now_ms);
LOGAD_API void append_ecs_incident(std::string& out, const pipeline::Incident& incident, std::int64_t now_ms);
// The _bulk action line before each document.
inline constexpr std::string_view k_bulk_action = "{\"create\":{}}\n";

// 21, 47, 73 or 99 (see above).
int ecs_severity(double score, double threshold) noexcept;

}  // namespace logad::ops
