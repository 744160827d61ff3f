#pragma once
// JSON lines that wrap a log record rather than being one, recognised by their members (never by
// a file name), each unwrapped as envelope fields + the inner record (inner_record.hpp):
//   Elasticsearch / OpenSearch hit   `_source` object with `_index` or `_id` (a `_search` or
//                                    scroll response, split into hits by io/json_records.hpp, or
//                                    elasticdump's NDJSON): `_source` read as ECS (below);
//                                    fields _index, _id (`_score` and `sort` belong to the query)
//   ECS document                     `ecs.version` (dotted or nested): nested objects flattened to
//                                    dotted names; @timestamp -> time, log.level -> level,
//                                    message -> the inner record (Filebeat ships raw lines there)
//   Google Cloud Logging LogEntry    `textPayload`, `jsonPayload` or `protoPayload` with
//                                    `logName`, `insertId` or `resource` (gcloud logging read
//                                    --format=json): timestamp, severity; the payload is the inner
//                                    record (protoPayload: kept as a field, message its methodName);
//                                    resource.type, resource.labels.*, labels.*, logName and the
//                                    rest as fields (insertId, receiveTimestamp dropped)
//   AWS CloudWatch Logs event        `message` string, `timestamp` number and `logStreamName`,
//                                    `eventId` or `ingestionTime` (filter-log-events, get-log-events):
//                                    fields log_stream, log_group (eventId, ingestionTime dropped)
//   journald export (journalctl -o json)   `MESSAGE` with `__REALTIME_TIMESTAMP`: PRIORITY ->
//                                    level; other "__" address fields (cursor, monotonic time) dropped
//   Docker json-file                 `log` string with `stream`: a chunk without its final "\n"
//                                    is "incomplete" (json-file splits lines at 16 KiB); field stream
// Entity fields take logad's names, so they are keys (--key pod) and components (per-entity
// baselines) the same way whatever the source: service (ECS service.name, LogEntry resource
// labels service_name / function_name, journald _SYSTEMD_UNIT), host (host.name, host.hostname,
// instance_id, _HOSTNAME), pod (kubernetes.pod.name, pod_name), container
// (kubernetes.container.name, container.name, container_name), app (SYSLOG_IDENTIFIER), pid (_PID).
// String values become plain fields; other values keep their JSON text.
#include "inner_record.hpp"
#include "json_values.hpp"

namespace logad::parse {

// none: `doc` is no envelope this knows (read it as a plain JSON record).
enum class Envelope : std::uint8_t { none, record, incomplete };

Envelope read_json_envelope(const ordered_json& doc, const TimeContext& time, const InnerRecord& inner, Record& out);

}  // namespace logad::parse
