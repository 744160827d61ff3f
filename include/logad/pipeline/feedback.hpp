#pragma once
// Verdicts a person gave on results (`logad feedback`), kept in the model file and honoured by
// the Scorer at once.
//
// A verdict says "normal" (a false positive: stop alerting on it) or "anomaly" (a true one: always
// alert on it) about one target:
//   template   every record with that template_id: per-line records, and window or session
//              signals that name the template (burst, silence, new_template, param_range)
//   reason     a reason text with its numbers masked (see reason_pattern): a record whose
//              reasons all match "normal" reason verdicts is dropped
// A verdict may expire: `until_ms` (exclusive) is compared with the record's own time (its end,
// else its start) or, for records without time, the wall clock. For one target the latest
// verdict wins, so `--anomaly` undoes an earlier `--normal` and back.
//
// On disk it is the "feedback" member of the logad-model document, beside "pipeline":
//   {"version": 1,
//    "verdicts": [{"verdict": "normal"|"anomaly", "template_id": N | "reason": "...",
//                  "until": "2026-12-01T00:00:00.000Z" (optional), "added": "<RFC 3339>",
//                  "note": "what it was given from (optional)"}, ...]}
// Older models have no such member and load with no verdicts; a newer version is refused.
#include <logad/pipeline/score_record.hpp>
#include <logad/record.hpp>
#include <logad/stage.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace logad::pipeline {

enum class Verdict : std::uint8_t { normal, anomaly };

struct VerdictEntry {
    Verdict verdict = Verdict::normal;
    std::uint32_t template_id = 0;  // the target when non-zero
    std::string reason;             // else this reason pattern
    std::int64_t until_ms = k_no_time;
    std::int64_t added_ms = k_no_time;
    std::string note;
};

struct Feedback {
    static constexpr int k_version = 1;
    std::vector<VerdictEntry> verdicts;

    bool empty() const noexcept { return verdicts.empty(); }
    // Appends, and drops an earlier verdict on the same target (the latest wins).
    void add(VerdictEntry entry);
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

    // What the verdicts say of a record at time `now_ms` (the wall clock, for records without time).
    enum class Decision : std::uint8_t { keep, suppress, force };
    Decision judge(const ScoreRecord& record, std::int64_t now_ms) const;
    // True when a template is marked anomalous at `t` (so scoring alerts on each of its lines).
    bool marked_anomaly(std::uint32_t template_id, std::int64_t t) const;
};

// A reason with every run of digits (and a sign or decimals with it) written `<n>`, so
// "42 times in a window (training max 3)" and "57 times in a window (training max 3)" match.
std::string reason_pattern(const std::string& reason);

// The fields of a score record printed by `logad score` (one JSON object) that verdicts use; an
// incident record gives its template, key, reasons and its first detector.
// Throws UsageError when `text` is not such a record.
ScoreRecord parse_score_record(std::string_view text);

// "2026-12-01", "2026-12-01T08:00:00Z" or with milliseconds and an offset; throws UsageError.
std::int64_t parse_date_ms(const std::string& text);

// A stage between the Scorer and its output: drops records the feedback calls normal, marks
// forced ones, and counts what it did. Everything else passes unchanged.
class FeedbackFilter final : public Sink<ScoreRecord> {
public:
    FeedbackFilter(Feedback feedback, Sink<ScoreRecord>& out);
    // New verdicts for the records from now on (a live scorer saw the model file change).
    void replace(Feedback feedback);
    void push(ScoreRecord& record) override;
    void finish() override { m_out.finish(); }
    // Scorer hook: an event whose template is marked anomalous gets its own record.
    void note_event(const Event& event);

    std::uint64_t suppressed() const noexcept { return m_suppressed; }
    std::uint64_t forced() const noexcept { return m_forced; }

private:
    Feedback m_feedback;
    Sink<ScoreRecord>& m_out;
    std::int64_t m_now_ms;
    std::uint64_t m_suppressed = 0, m_forced = 0;
    std::unordered_set<std::uint32_t> m_marked;  // templates with an anomaly verdict: a quick test per event
    ScoreRecord m_record;
};

}  // namespace logad::pipeline
