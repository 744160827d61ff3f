#pragma once
// Raw logs in, anomalies out: a pipeline model applied to a stream of lines, as `logad score`
// does, without reading files or printing. Lines (or events of `logad parse`) go in; score
// records, and the incidents they roll up into, come out through sinks.
//
//   analyze::LogScorer scorer(model, {}, records, &incidents);
//   for (...) scorer.push_line(line);
//   scorer.tick(std::chrono::steady_clock::now());  // when input is quiet, about once a second
//   scorer.finish();
//
// Event time on a live stream moves with the wall clock between events: tick() advances the
// stream's time by the wall time since its last event, so windows close, silences are noticed
// and incidents end while nothing arrives.
#include <logad/export.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/input_fit.hpp>
#include <logad/pipeline/scorer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

namespace logad::parse {
struct ParseStats;
}

namespace logad::analyze {

struct ScoreSettings {
    pipeline::ScorerOptions scorer;  // its order.tolerance_ms is set from reorder_ms
    std::int64_t reorder_ms = -1;    // event-time disorder windows absorb; -1: the model's
    pipeline::IncidentOptions incidents;
};

class LOGAD_API LogScorer {
public:
    // `records` gets every record (it must not steal: incidents are built from the record after);
    // `incidents`, when given, the incidents as they open and close.
    LogScorer(const pipeline::PipelineModel& model, const ScoreSettings& settings, Sink<pipeline::ScoreRecord>& records,
              Sink<pipeline::Incident>* incidents = nullptr);
    ~LogScorer();
    LogScorer(const LogScorer&) = delete;
    LogScorer& operator=(const LogScorer&) = delete;

    // One physical line, parsed with the model's format; `line_number` counts from 1 per input.
    void push_line(std::string_view line, std::uint64_t line_number);
    void push_line(std::string_view line) { push_line(line, ++m_lines); }
    // An event written by `logad parse` (already parsed and mined).
    void push_event(Event& event);
    // A record parsed, masked and learnt elsewhere (`score --threads`: threaded_score.hpp) with
    // scorer().miner(): counted as push_line() counts records, then scored. Swaps `event`.
    void push_learnt(Event& event);
    // The same for a record whose line row a preparer made a step ahead (pipeline/line_preparer.hpp).
    void push_prepared(Event& event, pipeline::PreparedLine& prepared);
    // The parse figures of the lines read elsewhere so far (every input): parse_stats() adds them.
    void set_parsed_elsewhere(const parse::ParseStats& stats);
    // The end of one input: the record held for continuation lines is complete.
    void end_of_input();
    // Input paused: what is held is complete as far as anyone can tell; pending rows are scored.
    void flush();
    // The live wall-clock tick (see above); also flushes.
    void tick(std::chrono::steady_clock::time_point now);
    // The events scored so far count toward the incidents' event gap from now on (a caller's
    // progress report; records count them as they come).
    void count_events();
    // End of the stream: everything held is scored and every open incident closed.
    void finish();

    // How the input fits the model so far (pipeline::misfit compares it with the model's).
    pipeline::FitProfile fit_seen() const;
    const pipeline::ScorerStats& stats() const;
    const parse::ParseStats& parse_stats() const;
    std::uint64_t incidents_opened() const;
    std::int64_t reorder_ms() const noexcept { return m_reorder_ms; }
    pipeline::Scorer& scorer();  // times, order figures, verdicts

private:
    struct Impl;
    std::unique_ptr<Impl> m;
    std::uint64_t m_lines = 0;
    std::int64_t m_reorder_ms = 0;
};

}  // namespace logad::analyze
