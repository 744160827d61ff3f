#include <logad/featurize/featurizers.hpp>

#include <logad/error.hpp>

#include <algorithm>

namespace logad::featurize {
namespace {
constexpr std::int64_t k_max_empty_windows = 10000;  // a time jump beyond this skips windows
constexpr std::size_t k_window_fixed = 3 + k_levels;       // events, distinct, new, levels
constexpr std::int64_t k_partial_start_fraction = 10;  // unseen share tolerated: 1/10

std::int64_t floor_to(std::int64_t t, std::int64_t step) {
    const std::int64_t q = t / step;
    return (t % step < 0 ? q - 1 : q) * step;
}
}  // namespace

WindowFeaturizer::WindowFeaturizer(const FeatureSpace& space, WindowOptions options, Sink<FeatureRow>& next)
    : m_space(space), m_options(options), m_next(next) {
    if (m_options.slide_ms == 0) m_options.slide_ms = m_options.window_ms;
    if (m_options.window_ms <= 0 || m_options.slide_ms <= 0 || m_options.slide_ms > m_options.window_ms)
        throw UsageError("--window must be positive and --slide between 1 ms and the window length");
}

void WindowFeaturizer::emit_front() {
    Window& w = m_open.front();
    m_row.granularity = Granularity::window;
    m_row.first_line = w.first_line;
    m_row.last_line = w.last_line;
    m_row.start_ms = w.start;
    m_row.end_ms = w.start + m_options.window_ms;
    m_row.template_id = 0;
    m_row.key.clear();
    m_row.values = std::move(w.values);
    m_row.values[1] = static_cast<double>(w.seen.size());
    m_open.pop_front();
    m_next.push(m_row);
}

void WindowFeaturizer::open_until(std::int64_t t) {
    if (m_next_start == k_no_time) {
        // A stream that starts mid-window saw only part of it; judged as a full window it would
        // look like a drop in traffic. Windows start at the first slide the stream saw whole
        // (a start within a tenth of a window counts as whole). Earlier events are in no window.
        m_next_start = floor_to(t, m_options.slide_ms);
        if (t - m_next_start > m_options.window_ms / k_partial_start_fraction) m_next_start += m_options.slide_ms;
    }
    if ((t - m_next_start) / m_options.slide_ms > k_max_empty_windows) {
        while (!m_open.empty()) emit_front();
        const std::int64_t jump = floor_to(t, m_options.slide_ms) - m_next_start;
        m_skipped += static_cast<std::uint64_t>(jump / m_options.slide_ms);
        m_next_start += jump;
    }
    while (m_next_start <= t) {
        Window w;
        w.start = m_next_start;
        w.values.assign(m_space.width(Granularity::window), 0.0);
        m_open.push_back(std::move(w));
        m_next_start += m_options.slide_ms;
        while (!m_open.empty() && m_open.front().start + m_options.window_ms <= t) emit_front();
    }
    while (!m_open.empty() && m_open.front().start + m_options.window_ms <= t) emit_front();
}

void WindowFeaturizer::advance_to(std::int64_t t) {
    if (m_next_start == k_no_time) return;  // nothing seen yet: no windows to close
    open_until(t);
}

void WindowFeaturizer::add(Window& w, const Event& e) {
    double* v = w.values.data();
    if (v[0] == 0) w.first_line = e.record.line;
    w.last_line = e.record.line;
    v[0] += 1;
    if (std::find(w.seen.begin(), w.seen.end(), e.template_id) == w.seen.end()) w.seen.push_back(e.template_id);
    if (!m_space.knows(e.template_id)) v[2] += 1;
    if (e.record.level != Level::unknown) v[3 + static_cast<int>(e.record.level) - 1] += 1;
    v[k_window_fixed + m_space.column_of(e.template_id)] += 1;
}

void WindowFeaturizer::push(Event& event) {
    if (!event.record.has_time()) {
        if (m_open.empty()) {
            ++m_untimed;  // no time yet to place it in
            return;
        }
        add(m_open.back(), event);
        return;
    }
    const std::int64_t t = event.record.ts_ms;
    m_last_ts = m_last_ts == k_no_time ? t : std::max(m_last_ts, t);
    open_until(t);
    bool placed = false;
    for (Window& w : m_open) {
        if (w.start <= t && t < w.start + m_options.window_ms) {
            add(w, event);
            placed = true;
        }
    }
    if (!placed && !m_open.empty()) add(m_open.front(), event);  // late event: earliest open window
}

void WindowFeaturizer::finish() {
    // A window cut short by the end of input would look like a drop in traffic: emit it only
    // when it was observed nearly whole (as at the start of input).
    while (!m_open.empty()) {
        const Window& w = m_open.front();
        if (m_last_ts != k_no_time &&
            w.start + m_options.window_ms - m_last_ts <= m_options.window_ms / k_partial_start_fraction)
            emit_front();
        else
            m_open.pop_front();
    }
    m_next.finish();
}

}  // namespace logad::featurize
