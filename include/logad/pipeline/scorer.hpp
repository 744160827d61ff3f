#pragma once
// Scores a stream with a PipelineModel: records are mined (new templates get ids in memory,
// the model is not changed), then every granularity the model has is featurized and scored,
// and the learned signals are checked. Results go to a Sink<ScoreRecord>.
//
// Line rows are scored in batches for speed; flush() scores what is pending, and the CLI calls
// it whenever input pauses, so a live stream still gets its results at once.
#include <logad/export.hpp>
#include <logad/pipeline/clock_check.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/pipeline/time_order.hpp>
#include <logad/stage.hpp>

#include <array>
#include <memory>

namespace logad::featurize {
class EventReadings;
}

namespace logad::pipeline {

// A record whose time jumps forward beyond the horizon (a host with a wrong clock, a mistyped
// year) would close every window on the way and move all later records into the past. Such a
// record is placed at the stream's current time instead, and counted. The stream really moved
// (a quiet night, a restart after a long stop) when the next record jumps too: then its time is
// taken. When live, a time further than a day ahead of the wall clock is a jump as well
// (Prometheus and Loki refuse samples from the future likewise); a day covers any time zone.
struct ClockHorizon {
    std::int64_t stream_ms = 3600 * 1000;  // 0 = off
    bool live = false;                     // also compare with the wall clock
    std::int64_t wall_ms = 24 * 3600 * 1000;
};

struct ScorerOptions {
    bool all = false;  // a record for every scored row, not only anomalies
    int threads = 1;
    ClockHorizon horizon;
    // Windows, sessions and window signals see events in time order (time_order.hpp); line
    // scoring does not wait for it.
    TimeOrderOptions order;
};

struct ScorerStats {
    std::uint64_t events = 0;
    std::uint64_t unseen = 0;  // events whose template training never saw
    std::uint64_t rows = 0;
    std::uint64_t anomalies = 0;
    std::uint64_t signals = 0;
    std::uint64_t sessions = 0;  // session rows scored: 0 with a session part means the key matched nothing
    std::uint64_t dropped_keys = 0;  // session keys beyond the per-line cap (SessionKey), not followed
    std::uint64_t clock_jumps = 0;   // records placed at the stream's time (ClockHorizon)
};

struct PreparedLine;
class LinePreparer;

class LOGAD_API Scorer final : public Sink<Record> {
public:
    Scorer(const PipelineModel& model, ScorerOptions options, Sink<ScoreRecord>& out);
    ~Scorer() override;

    void push(Record& record) override;  // mines, then push_event
    void push_event(Event& event);       // an event already mined (events input)
    // An event whose template miner().learn_masked() learnt (`score --threads`): as push()
    // after mining. Swaps: `event` gets back an earlier event's memory.
    void push_learnt(Event& event);
    // An event learnt as for push_learnt() whose line row a LinePreparer made (line_preparer.hpp),
    // in stream order: as push_learnt() without that work. `event` gets back an earlier event's
    // memory; the readings are swapped out.
    void push_prepared(Event& event, PreparedLine& prepared);
    // A preparer of this scorer's line rows; null when its model has none to prepare.
    std::unique_ptr<LinePreparer> make_line_preparer() const;
    // The scorer's own copy of the model's miner, which learns the templates of the stream.
    mine::TemplateMiner& miner() noexcept { return m_miner; }
    void flush();                        // scores pending line rows now
    void advance_to(std::int64_t event_time_ms);  // a quiet stream: close windows and sessions
    void finish() override;

    const ScorerStats& stats() const noexcept { return m_stats; }
    const FeedbackFilter* feedback() const noexcept { return m_feedback.get(); }
    // Verdicts given since the model was loaded (`logad feedback` on the running model's file).
    void replace_feedback(Feedback feedback);
    // Records each verdict silenced since the last call (FeedbackFilter::take_counts).
    std::vector<VerdictCount> take_verdict_counts() { return m_feedback->take_counts(); }
    std::int64_t last_event_time() const noexcept { return m_last_ts; }
    std::int64_t first_event_time() const noexcept { return m_first_ts; }
    // The time the windows follow: the latest time accepted (a skewed line does not move it).
    std::int64_t stream_time() const noexcept { return m_order->stream_time(); }
    const TimeOrderStats& order_stats() const noexcept { return m_order->stats(); }

private:
    class PartScorer;
    class TimeAxis;
    void note_time(const Event& event);
    // The event to the signals, the parts and the time order, which takes it (a swap).
    void pass_on(Event& event, const PreparedLine* prepared);
    const PipelineModel& m_model;
    ScorerOptions m_options;
    std::unique_ptr<FeedbackFilter> m_feedback;  // always, so verdicts given later can be applied
    Sink<ScoreRecord>& m_out;
    mine::TemplateMiner m_miner;
    Event m_event;
    const Event* m_current = &m_event;  // the event being scored (line alerts describe it)
    std::vector<std::unique_ptr<PartScorer>> m_parts;
    std::unique_ptr<SignalChecker> m_signals;
    std::unique_ptr<featurize::EventReadings> m_readings;  // shared by the line part and the signals
    std::unique_ptr<TimeAxis> m_axis;
    std::unique_ptr<TimeOrder> m_order;  // feeds m_axis
    ScorerStats m_stats;
    std::int64_t m_last_ts = k_no_time;
    std::int64_t m_first_ts = k_no_time;
    ClockCheck m_clock;
};

// The column a detector's row is furthest off on, said concretely by its first reason: what a
// verdict on the row is scoped to (score_record.hpp's feature, slot and value).
struct TopFeature {
    std::string name;
    int slot = -1;  // param_out_of_range: the worst parameter's position
    double value = std::nan("");
};

// Plain-word reasons for a detector's row: the features furthest from their training values.
std::vector<std::string> explain_row(const PipelineModel& model, const Part& part, const featurize::FeatureRow& row,
                                     const std::vector<double>* contributions, std::size_t max_reasons = 3,
                                     TopFeature* top = nullptr);

}  // namespace logad::pipeline
