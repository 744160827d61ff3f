#pragma once
// Anomaly records rolled up into incidents, so a person reads problems instead of line floods.
//
// Records belong to one incident when they share what they are about and follow each other
// within a gap:
//   the same template (per-line records of any detector, and signals that name it),
//   else the same key (a session, or the component or client a window signal names),
//   else the same granularity and detector (window rows of a detector name neither).
// A record that names neither a template nor a key and starts while another incident is open
// (within the gap) joins the incident seen last: a window detector's row usually describes the
// lines that opened it.
//
// An incident is written twice: when it opens (at its first record, so a live alert is not
// delayed) and when it closes, at the end of input or when the stream has moved on without a
// record of its own: by `gap_ms` of event time and by `gap_events` events (so a log that writes
// a line every ten minutes is judged at its own pace), or by `max_quiet` gaps of event time
// alone (so a stream that falls silent still resolves its incidents). Records without time use
// `gap_lines` input lines instead.
//
// NDJSON shape (append_incident_json), beside score records on the same stream:
//   {"per": "incident", "incident": 3, "state": "open" | "closed",
//    "kind": "new_template" | "param_range" | "burst" | "silence" | ... | "iforest" | ...,
//    "about": "template" | "key" | "detector",
//    "detectors": ["signal:new_template", "iforest"], "score": highest score / threshold,
//    "first_line": N, "last_line": N, "start": RFC 3339, "end": RFC 3339 (when known),
//    "file", "last_file": the files of first_line and last_line when several were scored
//    (line numbers restart in each; last_file only when it differs),
//    "lines": lines covered by its line records, "records": records rolled up,
//    "template_id": N, "template": "...", "key": "..." (when it is about one),
//    "reasons": [distinct reasons, most recent kept last, at most 8],
//    "examples": [up to 3 input lines], (each text cut at k_max_text bytes: `... [N bytes cut]`)
//    "level": the most severe level of its lines (when known),
//    "scopes": [{"per": "line", "detector": "signal:param_range", "template_id": N, "key": "...",
//                "feature": "...", "slot": N (1-based), "low": X, "high": X}, ...]}
// `scopes` lists what its records were about (score_record.hpp's RecordScope; at most 16, the
// values seen merged into one range each), so `logad feedback` can give each a scoped verdict.
// `kind` is the first record's detector without its "signal:" prefix.
#include <logad/export.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace logad::pipeline {

struct IncidentOptions {
    std::int64_t gap_ms = 5 * 60 * 1000;  // quiet this long in event time...
    std::uint64_t gap_events = 100;       // ...and this many events close an incident (when counted)
    std::int64_t max_quiet = 12;          // gaps of event time that close it whatever the events
    std::uint64_t gap_lines = 5000;       // for records without time: input lines
    std::size_t max_open = 4096;          // bounded memory: past this, the stalest closes first
};

struct Incident {
    enum class State : std::uint8_t { open, closed };
    std::uint64_t id = 0;
    State state = State::open;
    std::string kind;
    std::string about;  // "template", "key" or "detector"
    std::vector<std::string> detectors;
    double score = 0;  // the highest score / threshold of its records
    std::uint64_t first_line = 0, last_line = 0;
    std::string file, last_file;  // of first_line and last_line, when several files were scored
    std::int64_t start_ms = k_no_time, end_ms = k_no_time;
    std::uint64_t lines = 0;  // line records rolled up
    std::uint64_t records = 0;
    std::uint32_t template_id = 0;
    std::string template_text;
    std::string key;
    std::vector<std::string> reasons;
    std::vector<std::string> examples;
    Level level = Level::unknown;  // the most severe of its line records' levels
    std::vector<RecordScope> scopes;
    std::uint64_t last_event = 0;  // the stream's event count at its latest record (not written)
};

LOGAD_API void append_incident_json(std::string& out, const Incident& incident);

class LOGAD_API IncidentTracker final : public Sink<ScoreRecord> {
public:
    static constexpr std::size_t k_max_reasons = 8;
    static constexpr std::size_t k_max_examples = 3;
    static constexpr std::size_t k_max_scopes = 16;
    // Bytes of each text an incident keeps (template, key, reason, example): longer ones are cut
    // there, marked ` ... [N bytes cut]`, so an open incident holds at most about 64 KiB.
    static constexpr std::size_t k_max_text = 4096;

    IncidentTracker(IncidentOptions options, Sink<Incident>& out);
    void push(ScoreRecord& record) override;  // anomalies only; others are ignored
    // The stream's events so far (monotonic), for the event half of the gap; never told: time only.
    void count_events(std::uint64_t events) noexcept { m_events = std::max(m_events, events); }
    // The stream's time moved (a quiet live stream): closes incidents quiet for the gap.
    void advance_to(std::int64_t event_time_ms);
    void finish() override;  // closes every open incident

    std::uint64_t opened() const noexcept { return m_next_id - 1; }
    std::size_t open_now() const noexcept { return m_open.size(); }

private:
    std::string group_of(const ScoreRecord& r) const;
    void close_quiet(bool silent);  // silent: the stream's time moved without records (advance_to)
    void close(std::map<std::string, Incident>::iterator it);
    bool quiet(const Incident& i, bool silent) const;

    IncidentOptions m_o;
    Sink<Incident>& m_out;
    std::map<std::string, Incident> m_open;  // by group
    std::string m_last_group;                // the group of the latest record, for keyless rows
    std::uint64_t m_next_id = 1;
    std::int64_t m_now_ms = k_no_time;  // the stream's time: the latest record or advance_to
    std::uint64_t m_now_line = 0;
    std::uint64_t m_events = 0;
};

}  // namespace logad::pipeline
