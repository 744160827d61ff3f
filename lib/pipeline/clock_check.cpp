#include <logad/pipeline/clock_check.hpp>

#include <logad/pipeline/scorer.hpp>
#include <logad/util/civil_time.hpp>

#include <algorithm>

namespace logad::pipeline {

bool ClockCheck::check(Record& record, const ClockHorizon& h) {
    if (!record.has_time()) return false;
    std::int64_t& t = record.ts_ms;
    bool moved = false;
    bool beyond = false;
    if (h.live) {
        const std::int64_t wall = util::wall_clock_ms();
        beyond = t > wall + h.wall_ms;
    }
    if (m_last_ts == k_no_time) {
        if (beyond) {  // nothing to place it at: the record goes without a time
            t = k_no_time;
            return true;
        }
    } else {
        const bool jumped = h.stream_ms > 0 && t > m_last_ts + h.stream_ms;
        if (!beyond && jumped && m_jump_pending) {  // two in a row: the stream itself moved on
            m_jump_pending = false;
        } else {
            m_jump_pending = !beyond && jumped;
            if (beyond || jumped) {
                t = m_last_ts;
                moved = true;
            }
        }
    }
    m_last_ts = m_last_ts == k_no_time ? t : std::max(m_last_ts, t);
    return moved;
}

}  // namespace logad::pipeline
