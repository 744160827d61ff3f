#include <logad/featurize/window_clock.hpp>

#include <logad/error.hpp>

namespace logad::featurize {

WindowClock::WindowClock(std::int64_t window_ms, std::int64_t slide_ms, bool open_partial_first)
    : m_window(window_ms), m_slide(slide_ms == 0 ? window_ms : slide_ms), m_open_partial_first(open_partial_first) {
    if (m_window <= 0 || m_slide <= 0 || m_slide > m_window)
        throw UsageError("--window must be positive and --slide between 1 ms and the window length");
}

void WindowClock::reset() {
    m_next_start = k_unset;
    m_open.clear();
}

}  // namespace logad::featurize
