#pragma once
// The clock horizon of scorer.hpp (ClockHorizon) applied to a stream's records one by one: a
// record whose time jumps beyond it is placed at the stream's latest time. Its own object so the
// line preparation of `score --threads` (line_preparer.hpp) can run it a block ahead of the
// scorer, on the same records, to the same effect.
#include <logad/record.hpp>

#include <cstdint>

namespace logad::pipeline {

struct ClockHorizon;

class ClockCheck {
public:
    // Moves `record`'s time when it jumps; true when it did (a clock jump to count). Records go in
    // stream order.
    bool check(Record& record, const ClockHorizon& horizon);

private:
    std::int64_t m_last_ts = k_no_time;  // the latest time so far
    bool m_jump_pending = false;         // the previous record jumped beyond the horizon
};

}  // namespace logad::pipeline
