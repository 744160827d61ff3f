#pragma once
// How far a scoring run has got, as its reader reports it often (about once a second and every
// few thousand lines) and at the end: what metrics (ops/monitor.hpp) and a summary show.
#include <logad/record.hpp>  // k_no_time

#include <cstdint>

namespace logad::pipeline {

struct ScoreProgress {
    std::uint64_t lines = 0;      // lines read so far
    std::uint64_t events = 0;     // events scored so far
    std::uint64_t unparsed = 0;   // lines no format matched
    std::uint64_t truncated = 0;  // lines cut at the maximum line length
    std::uint64_t dropped_keys = 0;  // session keys beyond the per-line cap
    std::uint64_t clock_jumps = 0;   // records placed at the stream's time (clock horizon)
    std::int64_t last_event_ms = k_no_time;
};

}  // namespace logad::pipeline
