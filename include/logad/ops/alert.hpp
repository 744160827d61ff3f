#pragma once
// An anomaly as an alert, and the two wire formats alerts are sent in.
//
// Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Teams workflows...):
//   {"text": "logad: 2 anomalies on host1 - new template: ...",          (notification fallback)
//    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*logad* ..."}},
//               {"type": "section", "text": {"type": "mrkdwn",
//                "text": "*line anomaly* `signal:new_template` score 3.2 > 1 (line 17)\n• reason\n```example```"}},
//               ...one section per alert, at most max_shown...
//               {"type": "context", "elements": [{"type": "mrkdwn", "text": "3 more not shown ..."}]}]}
// Prometheus Alertmanager, POST /api/v2/alerts: a JSON array of
//   {"labels": {"alertname": "LogadAnomaly", "severity": "warning", "instance": host, "per": ...,
//               "detector": ..., "template_id": ..., "key": ..., "reason": ...},
//    "annotations": {"summary": ..., "description": reasons, "example": a log line},
//    "startsAt": RFC 3339, "endsAt": RFC 3339}
// Labels identify an alert (Alertmanager groups and deduplicates on them), so they hold no
// numbers that change from one occurrence to the next.
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace logad::ops {

struct Alert {
    std::string key;  // identity for deduplication: per and template, else per, detector, key, reason shape
    std::string per;
    std::string detector;
    double score = 0;
    double threshold = 0;
    std::uint64_t first_line = 0, last_line = 0;
    std::string session;  // ScoreRecord::key
    std::uint32_t template_id = 0;
    std::string reason_shape;  // first reason with its numbers blanked out
    std::vector<std::string> reasons;
    std::string example;  // the line (per line) or the template
    std::int64_t started_ms = 0;    // wall clock of the first occurrence
    std::int64_t last_seen_ms = 0;  // wall clock of the latest occurrence
    std::uint64_t occurrences = 1;
    bool held = false;  // active until resolved (an open incident), not until the cool-down ends
};

Alert alert_from_record(const pipeline::ScoreRecord& r, std::int64_t now_ms);
// per "incident", detector its kind; the identity is what it is about (its template, else its
// key, else its kind), so an incident that reopens within the cool-down is not sent again.
Alert alert_from_incident(const pipeline::Incident& incident, std::int64_t now_ms);

// "burst: 530 lines in 60 s" -> "burst: # lines in # s"
std::string reason_shape(std::string_view reason);

struct SlackBatch {
    std::vector<Alert> alerts;
    std::uint64_t more = 0;        // alerts in this burst not shown
    std::uint64_t suppressed = 0;  // repeats within the cool-down since the last message
    std::string instance;          // host name
};
std::string slack_payload(const SlackBatch& batch);

// `resolved` alerts get endsAt = now; active ones end at last_seen + hold_ms unless re-sent.
std::string alertmanager_payload(const std::vector<Alert>& active, const std::vector<Alert>& resolved,
                                 const std::string& instance, std::int64_t now_ms, std::int64_t hold_ms);

}  // namespace logad::ops
