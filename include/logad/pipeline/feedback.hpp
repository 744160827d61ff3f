#pragma once
// Verdicts a person gave on results (`logad feedback`), kept in the model file and honoured by
// the Scorer at once.
//
// A verdict says "normal" (a false positive: stop alerting on it) or "anomaly" (a true one: always
// alert on it), scoped to what was judged, never to a reason's words:
//   template_id / key   what it is about: a template, or the component or client a window
//                       signal names; a window detector's row names its top column instead
//                       (`feature`, e.g. "count:<template id>" or "level:warn")
//   per, detector       the granularity and detector or signal that alerted ("signal:burst", "iforest")
//   feature, slot       the detector's top column; the parameter position of a param_range alert
//   low, high, margin   for a numeric alert, the values marked normal: a record is silenced only
//                       when its value lies in [low - margin, high + margin], so a far larger
//                       deviation still alerts. The margin is the alert's own: 3 training spreads
//                       for a parameter (as far as the param_range signal lets a value stray past
//                       its p99), half the value for a count or a share.
// An empty field is "any": a bare template id (or a verdict of feedback version 1) covers every
// record of the template. A normal verdict always names a template, a key or a feature.
// A verdict may expire: `until_ms` (exclusive) is compared with the record's own time (its end,
// else its start) or, for records without time, the wall clock. For one scope the latest verdict
// wins (`--anomaly` undoes an earlier `--normal`); normal verdicts on one scope merge their ranges.
//
// States: "active" verdicts are applied; "absorbed" ones were carried into the model by
// `train --update` (the model's own ranges and baselines now accept what they accepted), are no
// longer applied, and are carried again by every later update (remove one to stop that);
// "retired" ones are reason verdicts of feedback version 1, which silenced a reason for every
// template: kept to be seen and removed, never applied.
//
// On disk it is the "feedback" member of the logad-model document, beside "pipeline":
//   {"version": 2, "next_id": N,
//    "verdicts": [{"id": N, "verdict": "normal"|"anomaly", "state": "active"|"absorbed"|"retired",
//                  "per": "line", "detector": "signal:param_range", "template_id": N,
//                  "template": "...", "key": "...", "feature": "...", "slot": N (1-based),
//                  "low": X, "high": X, "margin": X, "reason": "the record's first reason",
//                  "until": "<RFC 3339>", "added": "<RFC 3339>", "note": "who, why",
//                  "silenced": N, "last_silenced": "<RFC 3339>",
//                  "examples": [{"message": "...", "level": "warn"}, ...]}, ...]}   (absent fields: any / none)
// `examples` are up to 3 lines a line verdict was given on; `train --update` trains on them.
// Version 1 ({"version": 1, "verdicts": [{"verdict", "template_id" | "reason", "until", "added",
// "note"}]}) still loads: template verdicts cover the whole template, reason verdicts are retired.
// A newer version is refused.
#include <logad/export.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/record.hpp>
#include <logad/stage.hpp>

#include <logad/util/file_kinds.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace logad::pipeline {

class PipelineModel;

enum class Verdict : std::uint8_t { normal, anomaly };

// A line a verdict was given on (its message and level), kept so `train --update` can train on it.
struct VerdictExample {
    std::string message;
    Level level = Level::unknown;
    bool operator==(const VerdictExample&) const = default;
};
inline constexpr std::size_t k_max_verdict_examples = 3;
enum class VerdictState : std::uint8_t { active, absorbed, retired };

struct LOGAD_API VerdictEntry {
    std::uint64_t id = 0;
    Verdict verdict = Verdict::normal;
    VerdictState state = VerdictState::active;
    std::string per, detector;
    std::uint32_t template_id = 0;
    std::string key, feature;
    int slot = -1;  // 0-based
    double low = std::nan(""), high = std::nan(""), margin = 0;
    std::string template_text, reason;
    std::vector<VerdictExample> examples;  // line verdicts: at most k_max_verdict_examples
    std::int64_t until_ms = k_no_time;
    std::int64_t added_ms = k_no_time;
    std::string note;
    std::uint64_t silenced = 0;  // records it dropped since it was given (`logad score` counts)
    std::int64_t last_silenced_ms = k_no_time;

    bool ranged() const noexcept { return std::isfinite(low) && std::isfinite(high); }
    bool expired(std::int64_t t) const noexcept { return until_ms != k_no_time && t >= until_ms; }
    bool same_scope(const VerdictEntry& o) const;
    // The record is within this verdict's scope (its range included); state and time aside.
    bool covers(const ScoreRecord& r) const;
    // In words: "template 12 `...`, signal:param_range, param 2 = 120 to 150 (+- 30)".
    std::string scope_text() const;
};

// A batch of silenced counts for one verdict, from a scorer to the model file.
struct VerdictCount {
    std::uint64_t id = 0;
    std::uint64_t silenced = 0;
    std::int64_t last_ms = k_no_time;
};

struct LOGAD_API Feedback {
    static constexpr int k_version = util::k_feedback_section.version;
    static constexpr std::size_t k_max_verdicts = 10000;  // bounded: past this, prune or remove
    std::vector<VerdictEntry> verdicts;
    std::uint64_t next_id = 1;

    bool empty() const noexcept { return verdicts.empty(); }
    // Appends and returns its id. An earlier verdict on the same scope is replaced (the latest
    // wins) and keeps its id and counts; two normal verdicts on one scope merge their ranges.
    // Throws UsageError past k_max_verdicts.
    std::uint64_t add(VerdictEntry entry);
    bool remove(std::uint64_t id);
    // Removes verdicts expired at `now_ms` and retired ones; returns how many.
    std::size_t prune_expired(std::int64_t now_ms);
    void add_counts(const std::vector<VerdictCount>& counts);
    // Verdicts on templates that merged into others name the survivors (`resolve`: the miner's).
    template <typename Resolve>
    void retarget(Resolve resolve) {
        for (auto& v : verdicts)
            if (v.template_id != 0) v.template_id = resolve(v.template_id);
    }

    nlohmann::json to_json() const;
    static Feedback from_json(const nlohmann::json& j, const std::string& origin);  // throws FormatError
    // The "feedback" member of a loaded logad-model document; empty when there is none.
    static Feedback from_document(const nlohmann::json& doc, const std::string& origin);

    // What the verdicts say of a record at time `now_ms` (the wall clock, for records without
    // time), and which verdict said it (an index into `verdicts`, or -1).
    enum class Decision : std::uint8_t { keep, suppress, force };
    Decision judge(const ScoreRecord& record, std::int64_t now_ms, int* by = nullptr) const;
    // The active anomaly verdict on a whole template at `t`, or null (scoring alerts on each of its lines).
    const VerdictEntry* marked_anomaly(std::uint32_t template_id, std::int64_t t) const;
};

// Carries the active, open-ended normal verdicts into a refitted model (`train --update`): a
// parameter's widened range becomes its training range, a new template a known one, a burst's
// accepted count the template's training maximum, a silence a template that may be absent, a
// level shift's accepted share the component's training maximum. A line detector's verdict is
// carried when the refitted model no longer alerts on its example lines (`examples`, by verdict
// id: feedback_lessons.hpp); a window's or session's stays an exception (it has no lines).
// Those verdicts become "absorbed" (absorbed ones are carried again). Returns how many were carried.
std::size_t absorb_verdicts(PipelineModel& model, const std::unordered_map<std::uint64_t, std::vector<Event>>& examples = {});

// What one score record or incident record (as `logad score` prints them) lets a verdict name:
// a scope per record (an incident: one per scope it lists), with its template text and reason.
struct VerdictTarget {
    RecordScope scope;
    std::string template_text, reason;
    std::vector<VerdictExample> examples;  // the lines of a line scope, when the record shows them
    bool from_incident = false;
};
// Throws UsageError when `text` is not such a record.
std::vector<VerdictTarget> parse_verdict_targets(std::string_view text);

// "2026-12-01", "2026-12-01T08:00:00Z" or with milliseconds and an offset; throws UsageError.
LOGAD_API std::int64_t parse_date_ms(const std::string& text);

// A stage between the Scorer and its output: drops records the feedback calls normal, marks
// forced ones, and counts what it did (in all, and per verdict for the model file).
class FeedbackFilter final : public Sink<ScoreRecord> {
public:
    FeedbackFilter(Feedback feedback, Sink<ScoreRecord>& out);
    // New verdicts for the records from now on (a live scorer saw the model file change); counts
    // not yet taken stay with their verdicts.
    void replace(Feedback feedback);
    void push(ScoreRecord& record) override;
    void finish() override { m_out.finish(); }
    // Scorer hook: an event whose template is marked anomalous gets its own record.
    void note_event(const Event& event);

    std::uint64_t suppressed() const noexcept { return m_suppressed; }
    std::uint64_t forced() const noexcept { return m_forced; }
    // The per-verdict counts since the last call, for the model file; zeroes them.
    std::vector<VerdictCount> take_counts();

private:
    Feedback m_feedback;
    Sink<ScoreRecord>& m_out;
    std::int64_t m_now_ms;
    std::uint64_t m_suppressed = 0, m_forced = 0;
    std::vector<VerdictCount> m_counts;          // parallel to m_feedback.verdicts
    // Active verdicts by the template they name, and those naming none (a key or a column), as
    // indexes into m_feedback.verdicts in order: a flood of records against thousands of
    // verdicts looks at the few that can cover each.
    std::unordered_map<std::uint32_t, std::vector<int>> m_by_template;
    std::vector<int> m_untemplated;
    std::unordered_set<std::uint32_t> m_marked;  // templates with an anomaly verdict: a quick test per event
    ScoreRecord m_record;
};

}  // namespace logad::pipeline
