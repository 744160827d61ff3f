#pragma once
// Normal verdicts as training data for `train --update` (issue: verdicts need not live forever as
// exceptions). A line verdict keeps up to three of the lines it was given on (feedback.hpp); the
// update trains on them, and then checks the refitted model with them: a verdict is absorbed only
// when the model it produced no longer alerts on its own examples (absorb_verdicts).
//
// How many lines a verdict teaches is evidence, not a constant fitted to a log: the scorer counts
// the records each verdict silenced, so a line marked normal once and silenced 40 times since is
// trained as 41 lines (its examples repeated), less the copies of them the update's input holds
// (it may be the very log the verdict was given on), and at most k_max_taught: one verdict never
// outweighs the logs. A rare line marked normal once may so stay an exception until it recurs.
#include <logad/pipeline/feedback.hpp>
#include <logad/record.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace logad::mine {
class TemplateMiner;
}

namespace logad::pipeline {

struct VerdictLessons {
    static constexpr std::size_t k_max_taught = 500;  // lines per verdict
    std::vector<Event> training;  // one segment without time: no window or session spans it
    std::unordered_map<std::uint64_t, std::vector<Event>> examples;  // by verdict id, each line once
    std::size_t taught_verdicts = 0;
};

// The lessons of `feedback`'s open-ended normal line verdicts with examples; `input` is the
// update's events. The examples are mined by `miner` (the update's).
VerdictLessons verdict_lessons(const Feedback& feedback, mine::TemplateMiner& miner, const std::vector<Event>& input);

}  // namespace logad::pipeline
