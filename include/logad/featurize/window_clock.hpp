#pragma once
// The one clock that cuts event time into windows, for the window featurizer (rows) and the
// window tally (signals): windows of a fixed length starting on a grid of slide steps, opened as
// event time reaches their start and closed as it passes their end, so both see the same
// boundaries. A stream that starts mid-window saw only part of its first window: the clock
// either skips to the first slide seen whole (a start within a tenth of a window counts as
// whole) or opens the partial window marked as such. A jump in time of more than
// k_max_empty_windows steps closes what is open and skips the windows in between.
#include <cstdint>
#include <deque>
#include <limits>

namespace logad::featurize {

class WindowClock {
public:
    static constexpr std::int64_t k_max_empty_windows = 10000;
    static constexpr std::int64_t k_whole_fraction = 10;  // a start within window/10 counts as whole

    // slide 0 = tumbling (slide = window). Throws UsageError unless 0 < slide <= window.
    // `open_partial_first`: open the first window even when the stream started within it.
    WindowClock(std::int64_t window_ms, std::int64_t slide_ms, bool open_partial_first = false);

    std::int64_t window_ms() const noexcept { return m_window; }
    std::int64_t slide_ms() const noexcept { return m_slide; }
    bool started() const noexcept { return m_next_start != k_unset; }
    // Starts of the open windows, earliest first; each ends window_ms later.
    const std::deque<std::int64_t>& open() const noexcept { return m_open; }
    std::uint64_t skipped_windows() const noexcept { return m_skipped; }

    // Moves event time to t: opens the windows starting at or before it (on_open(start, partial))
    // and closes those ending at or before it (on_close(start)), in time order. The first call
    // starts the clock.
    template <class OnOpen, class OnClose>
    void advance(std::int64_t t, OnOpen&& on_open, OnClose&& on_close);

    // Whether a window was seen nearly whole when the stream ended at last_ts.
    bool ended_nearly_whole(std::int64_t start, std::int64_t last_ts) const noexcept {
        return start + m_window - last_ts <= m_window / k_whole_fraction;
    }
    void forget_front() { m_open.pop_front(); }  // the consumer dropped its earliest window
    void reset();                                // a later input starts afresh

    static std::int64_t floor_to(std::int64_t t, std::int64_t step) noexcept {
        const std::int64_t q = t / step;
        return (t % step < 0 ? q - 1 : q) * step;
    }

private:
    static constexpr std::int64_t k_unset = std::numeric_limits<std::int64_t>::min();
    template <class OnClose>
    void close_ended(std::int64_t t, OnClose& on_close) {
        while (!m_open.empty() && m_open.front() + m_window <= t) {
            const std::int64_t start = m_open.front();
            m_open.pop_front();
            on_close(start);
        }
    }
    std::int64_t m_window, m_slide;
    bool m_open_partial_first;
    std::int64_t m_next_start = k_unset;
    std::deque<std::int64_t> m_open;
    std::uint64_t m_skipped = 0;
};

template <class OnOpen, class OnClose>
void WindowClock::advance(std::int64_t t, OnOpen&& on_open, OnClose&& on_close) {
    if (m_next_start == k_unset) {
        m_next_start = floor_to(t, m_slide);
        if (t - m_next_start > m_window / k_whole_fraction) {
            if (m_open_partial_first) {
                m_open.push_back(m_next_start);
                on_open(m_next_start, true);
            }
            m_next_start += m_slide;
        }
    }
    if ((t - m_next_start) / m_slide > k_max_empty_windows) {  // a jump in time: skip ahead
        while (!m_open.empty()) {
            const std::int64_t start = m_open.front();
            m_open.pop_front();
            on_close(start);
        }
        const std::int64_t jump = floor_to(t, m_slide) - m_next_start;
        m_skipped += static_cast<std::uint64_t>(jump / m_slide);
        m_next_start += jump;
    }
    while (m_next_start <= t) {
        m_open.push_back(m_next_start);
        on_open(m_next_start, false);
        m_next_start += m_slide;
        close_ended(t, on_close);
    }
    close_ended(t, on_close);
}

}  // namespace logad::featurize
