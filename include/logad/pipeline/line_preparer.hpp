#pragma once
// `logad score --threads`: the part of Scorer::push_event() that makes an event's line row, run
// in input order a block ahead of the scorer (its own in-order step: analyze/threaded_score.hpp),
// so that making rows and the rest of scoring run at once on two cores. It keeps its own copy of
// the state a row depends on (the clock horizon's last time, the line featurizer's gaps and
// counters, a score memo's value cache), which sees the same events in the same order as the
// scorer's would, so the row is the one the scorer would make; Scorer::push_prepared() takes it
// and skips that work. The row's score memo key depends on the row alone: LineKeys makes it in
// a step of its own, in parallel (one LineKeys per thread).
#include <logad/featurize/featurizers.hpp>
#include <logad/model/score_memo.hpp>
#include <logad/pipeline/clock_check.hpp>
#include <logad/pipeline/scorer.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace logad::pipeline {

// What a LinePreparer made of one event, for Scorer::push_prepared().
struct PreparedLine {
    bool jumped = false;          // the clock horizon moved the event's time
    featurize::FeatureRow row;    // the line part's row
    std::string key;              // the row's score memo key, when `keyed`
    std::uint64_t hash = 0;
    bool keyed = false;           // the memo can judge the row
    std::vector<featurize::ParamReading> params, fields;  // the event's readings, for the signals
};

class LineKeys;

class LinePreparer {
public:
    // Null when the model has not exactly one line part (nothing to gain, or more to keep apart).
    static std::unique_ptr<LinePreparer> for_model(const PipelineModel& model, const ScorerOptions& options);
    LinePreparer(const PipelineModel& model, const ScorerOptions& options);

    // Events in stream order, each after its template was learnt; moves its time as the clock
    // horizon says. Everything but the key (LineKeys).
    void prepare(Event& event, PreparedLine& out);
    // A maker of the keys of these rows, for one thread.
    std::unique_ptr<LineKeys> make_keys() const;

private:
    class NoRows final : public Sink<featurize::FeatureRow> {
        void push(featurize::FeatureRow&) override {}
    };
    const PipelineModel& m_model;
    ClockHorizon m_horizon;
    bool m_all;
    ClockCheck m_clock;
    NoRows m_no_rows;
    featurize::EventReadings m_readings;
    featurize::LineFeaturizer m_featurizer;
};

// The score memo key of a prepared row (PreparedLine::key), in any order: one per thread.
class LineKeys {
public:
    LineKeys(const PipelineModel& model, bool all);
    void make(PreparedLine& line);

private:
    bool m_all;
    std::unique_ptr<model::ScoreMemo> m_memo;  // for its keys only: the scorer's memo holds the scores
};

}  // namespace logad::pipeline
