#pragma once
// Scores a stream with a PipelineModel: records are mined (new templates get ids in memory,
// the model is not changed), then every granularity the model has is featurized and scored,
// and the learned signals are checked. Results go to a Sink<ScoreRecord>.
//
// Line rows are scored in batches for speed; flush() scores what is pending, and the CLI calls
// it whenever input pauses, so a live stream still gets its results at once.
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <array>
#include <memory>

namespace logad::pipeline {

struct ScorerOptions {
    bool all = false;  // a record for every scored row, not only anomalies
    int threads = 1;
};

struct ScorerStats {
    std::uint64_t events = 0;
    std::uint64_t unseen = 0;  // events whose template training never saw
    std::uint64_t rows = 0;
    std::uint64_t anomalies = 0;
    std::uint64_t signals = 0;
    std::uint64_t sessions = 0;  // session rows scored: 0 with a session part means the key matched nothing
};

class Scorer final : public Sink<Record> {
public:
    Scorer(const PipelineModel& model, ScorerOptions options, Sink<ScoreRecord>& out);
    ~Scorer() override;

    void push(Record& record) override;  // mines, then push_event
    void push_event(Event& event);       // an event already mined (events input)
    void flush();                        // scores pending line rows now
    void advance_to(std::int64_t event_time_ms);  // a quiet stream: close windows and sessions
    void finish() override;

    const ScorerStats& stats() const noexcept { return m_stats; }
    const FeedbackFilter* feedback() const noexcept { return m_feedback.get(); }
    std::int64_t last_event_time() const noexcept { return m_last_ts; }
    std::int64_t first_event_time() const noexcept { return m_first_ts; }

private:
    class PartScorer;
    const PipelineModel& m_model;
    ScorerOptions m_options;
    std::unique_ptr<FeedbackFilter> m_feedback;  // when the model holds verdicts (feedback.hpp)
    Sink<ScoreRecord>& m_out;
    mine::TemplateMiner m_miner;
    Event m_event;
    std::vector<std::unique_ptr<PartScorer>> m_parts;
    std::unique_ptr<SignalChecker> m_signals;
    ScorerStats m_stats;
    std::int64_t m_last_ts = k_no_time;
    std::int64_t m_first_ts = k_no_time;
};

// Plain-word reasons for a detector's row: the features furthest from their training values.
std::vector<std::string> explain_row(const PipelineModel& model, const Part& part, const featurize::FeatureRow& row,
                                     const std::vector<double>* contributions, std::size_t max_reasons = 3);

}  // namespace logad::pipeline
