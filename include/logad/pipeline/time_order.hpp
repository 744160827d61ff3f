#pragma once
// Puts events back in event-time order for the stages that cut time into windows and sessions
// (window featurizer, session featurizer, the window and sequence signals), so a few seconds of
// disorder (threads writing one file, a shipper merging hosts) or one line with a skewed clock
// never opens an empty window ("silent for 60 s", "0 events in 60 s") nor crowds the next one
// (a burst). Per-line scoring does not go through it and alerts at once.
//
// Events are held in a small buffer keyed by time and passed on in time order once the
// stream's time (the latest time accepted) has passed them by more than the tolerance. The
// buffer is bounded, in events and in bytes: when full, the earliest event goes on before its
// time (counted as early).
//
// A record further ahead of the stream than the tolerance is held aside until the next record
// says which it is: when that one is ahead too, the stream really moved (a quiet spell, a
// sparse log) and both keep their times; when it is not, the first had a wrong clock and is
// placed at the stream's time (counted as ahead), as ClockHorizon does for jumps beyond the
// horizon. A record more than the tolerance behind what was already passed on is placed at that
// time (counted as late). Untimed records keep their place among their neighbours.
#include <logad/record.hpp>
#include <logad/stage.hpp>

#include <cstdint>
#include <vector>

namespace logad::pipeline {

struct TimeOrderOptions {
    std::int64_t tolerance_ms = 10000;  // 0 = off: events pass on as they come
    std::size_t max_held = 32768;       // events held at most (memory bound)
    // and their messages and template texts at most this many bytes: a stream whose time stands
    // still (one timestamp on every line) with huge lines would hold max_held of them
    std::size_t max_held_bytes = std::size_t{64} << 20;
};

struct TimeOrderStats {
    std::uint64_t reordered = 0;  // came behind the stream's time, within the tolerance: put in order
    std::uint64_t late = 0;       // came after their time had been passed on: placed at that time
    std::uint64_t ahead = 0;      // ahead of the stream beyond the tolerance, alone: placed at the stream's time
    std::uint64_t early = 0;      // passed on before the tolerance elapsed, the buffer being full
};

class TimeOrder final : public Sink<Event> {
public:
    TimeOrder(TimeOrderOptions options, Sink<Event>& next);

    void push(Event& event) override;  // copies what it holds: the caller's event stays intact
    // As push, for an event the caller gives up: what is held is swapped in, not copied, and
    // `event` is left with an earlier event's contents, whose memory the caller reuses.
    void push_taken(Event& event);
    // A quiet stream at event time t: passes on what t leaves behind by the tolerance; returns the
    // time the next stage may close its windows up to (k_no_time when nothing is known yet).
    std::int64_t advance_to(std::int64_t t);
    void finish() override;  // passes everything on, then finishes the next stage

    std::int64_t stream_time() const noexcept { return m_stream; }  // the latest time accepted
    const TimeOrderStats& stats() const noexcept { return m_stats; }
    const TimeOrderOptions& options() const noexcept { return m_options; }

private:
    struct Held {
        std::int64_t key;
        std::uint64_t seq;  // arrival: equal times keep their input order
        std::size_t slot;
    };
    void place(Event& event, bool taken);
    void hold(Event& event, std::int64_t key, std::int64_t time, bool taken = false);
    void settle_pending(bool stream_moved);
    void release(std::int64_t limit);
    void pass_on_front(bool before_time);

    TimeOrderOptions m_options;
    Sink<Event>& m_next;
    TimeOrderStats m_stats;
    std::vector<Event> m_slots;  // reused: copies into a warm slot allocate little
    std::vector<std::size_t> m_free;
    std::vector<Held> m_heap;  // min-heap on (key, seq)
    std::size_t m_held_bytes = 0;  // held_bytes() of the events in m_heap
    Event m_pending;           // the record ahead of the stream, awaiting the next one
    bool m_has_pending = false;
    std::int64_t m_stream = k_no_time;
    std::int64_t m_passed = k_no_time;  // the latest time passed on
    std::uint64_t m_seq = 0;
};

}  // namespace logad::pipeline
