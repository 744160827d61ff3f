#include <logad/pipeline/time_order.hpp>

#include <algorithm>
#include <utility>

namespace logad::pipeline {
namespace {

struct LaterFirst {
    template <class H>
    bool operator()(const H& a, const H& b) const {
        return a.key != b.key ? a.key > b.key : a.seq > b.seq;
    }
};

// What an event holds that grows with its line (the rest is small and fixed).
std::size_t held_bytes(const Event& e) { return e.record.message.size() + e.template_text.size(); }

// A slot that held a huge event gives its buffers back when it is free, or every warm slot would
// come to hold the longest lines seen.
constexpr std::size_t k_reuse_bytes = std::size_t{64} << 10;

}  // namespace

TimeOrder::TimeOrder(TimeOrderOptions options, Sink<Event>& next) : m_options(options), m_next(next) {
    m_options.max_held = std::max<std::size_t>(m_options.max_held, 1);
}

void TimeOrder::hold(Event& event, std::int64_t key, std::int64_t time, bool taken) {
    const bool timed = event.record.has_time();
    std::size_t slot;
    if (!m_free.empty()) {
        slot = m_free.back();
        m_free.pop_back();
        if (taken)
            std::swap(m_slots[slot], event);
        else
            m_slots[slot] = event;
    } else {
        slot = m_slots.size();
        if (taken)
            m_slots.push_back(std::move(event));
        else
            m_slots.push_back(event);
    }
    if (timed) m_slots[slot].record.ts_ms = time;
    m_held_bytes += held_bytes(m_slots[slot]);
    m_heap.push_back({key, m_seq++, slot});
    std::push_heap(m_heap.begin(), m_heap.end(), LaterFirst{});
}

void TimeOrder::pass_on_front(bool before_time) {
    std::pop_heap(m_heap.begin(), m_heap.end(), LaterFirst{});
    const Held h = m_heap.back();
    m_heap.pop_back();
    if (before_time) ++m_stats.early;
    m_passed = m_passed == k_no_time ? h.key : std::max(m_passed, h.key);
    m_free.push_back(h.slot);
    Event& e = m_slots[h.slot];
    m_held_bytes -= held_bytes(e);
    m_next.push(e);
    // Taken out, not assigned over: a string assigned an empty one keeps its buffer.
    if (e.record.message.capacity() + e.template_text.capacity() > k_reuse_bytes) (void)std::exchange(e, Event{});
}

void TimeOrder::release(std::int64_t limit) {
    while (!m_heap.empty() && (m_heap.front().key <= limit || m_heap.size() > m_options.max_held ||
                               m_held_bytes > m_options.max_held_bytes))
        pass_on_front(m_heap.front().key > limit);
}

// The record held aside was ahead of the stream: it keeps its time when the stream followed it,
// else it goes at the stream's time.
void TimeOrder::settle_pending(bool stream_moved) {
    m_has_pending = false;
    const std::int64_t t = m_pending.record.ts_ms;
    if (stream_moved) {
        m_stream = std::max(m_stream, t);
        hold(m_pending, t, t, true);  // m_pending is ours to give up
    } else {
        ++m_stats.ahead;
        hold(m_pending, m_stream, m_stream, true);
    }
}

void TimeOrder::place(Event& event, bool taken) {
    const std::int64_t tol = m_options.tolerance_ms;
    if (tol <= 0) {
        m_next.push(event);
        return;
    }
    if (!event.record.has_time()) {
        if (m_stream == k_no_time) {
            m_next.push(event);  // nothing to place it among yet
            return;
        }
        hold(event, m_stream, k_no_time, taken);
        release(m_stream - tol);
        return;
    }
    const std::int64_t t = event.record.ts_ms;
    if (m_has_pending) settle_pending(t > m_stream + tol);
    if (m_stream != k_no_time && t > m_stream + tol) {
        m_pending = event;
        m_has_pending = true;
        return;
    }
    std::int64_t placed = t;
    if (m_passed != k_no_time && t < m_passed) {
        ++m_stats.late;
        placed = m_passed;
    } else if (m_stream != k_no_time && t < m_stream) {
        ++m_stats.reordered;
    }
    m_stream = m_stream == k_no_time ? t : std::max(m_stream, t);
    hold(event, placed, placed, taken);
    release(m_stream - tol);
}

void TimeOrder::push(Event& event) { place(event, false); }

void TimeOrder::push_taken(Event& event) { place(event, true); }

std::int64_t TimeOrder::advance_to(std::int64_t t) {
    if (m_options.tolerance_ms <= 0) return t;
    if (m_has_pending && t >= m_pending.record.ts_ms) settle_pending(true);  // time itself reached it
    if (m_stream == k_no_time) return k_no_time;
    const std::int64_t limit = std::max(t, m_stream) - m_options.tolerance_ms;
    release(limit);
    m_passed = m_passed == k_no_time ? limit : std::max(m_passed, limit);
    return m_passed;
}

void TimeOrder::finish() {
    if (m_has_pending) settle_pending(false);  // nothing followed it: its clock cannot be trusted
    while (!m_heap.empty()) pass_on_front(false);
    m_next.finish();
}

}  // namespace logad::pipeline
