#include <logad/featurize/featurizers.hpp>

#include <algorithm>

namespace logad::featurize {

WindowFeaturizer::WindowFeaturizer(const FeatureSpace& space, WindowOptions options, Sink<FeatureRow>& next)
    : m_space(space), m_clock(options.window_ms, options.slide_ms), m_next(next), m_layout(space.layout(Granularity::window)) {}

void WindowFeaturizer::emit_front() {
    Window& w = m_open.front();
    m_row.granularity = Granularity::window;
    m_row.first_line = w.first_line;
    m_row.last_line = w.last_line;
    m_row.start_ms = w.start;
    m_row.end_ms = w.start + m_clock.window_ms();
    m_row.template_id = 0;
    m_row.key.clear();
    m_row.values = std::move(w.values);
    m_row.values[m_layout.at(Column::distinct_templates)] = static_cast<double>(w.seen.size());
    m_open.pop_front();
    m_next.push(m_row);
}

void WindowFeaturizer::open_until(std::int64_t t) {
    m_clock.advance(
        t,
        [this](std::int64_t start, bool /*partial: never opened*/) {
            Window w;
            w.start = start;
            w.values.assign(m_layout.width(), 0.0);
            m_open.push_back(std::move(w));
        },
        [this](std::int64_t /*start: the front's*/) { emit_front(); });
}

void WindowFeaturizer::advance_to(std::int64_t t) {
    if (!m_clock.started()) return;  // nothing seen yet: no windows to close
    open_until(t);
}

void WindowFeaturizer::add(Window& w, const Event& e) {
    double* v = w.values.data();
    double& events = v[m_layout.at(Column::events)];
    if (events == 0) w.first_line = e.record.line;
    w.last_line = e.record.line;
    events += 1;
    if (std::find(w.seen.begin(), w.seen.end(), e.template_id) == w.seen.end()) w.seen.push_back(e.template_id);
    if (!m_space.knows(e.template_id)) v[m_layout.at(Column::new_templates)] += 1;
    if (e.record.level != Level::unknown) v[m_layout.at(Column::level) + static_cast<int>(e.record.level) - 1] += 1;
    v[m_layout.count_column(m_space.column_of(e.template_id))] += 1;
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
        if (w.start <= t && t < w.start + m_clock.window_ms()) {
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
        if (m_last_ts != k_no_time && m_clock.ended_nearly_whole(w.start, m_last_ts))
            emit_front();
        else
            m_open.pop_front();
    }
    m_clock.reset();
    m_next.finish();
}

}  // namespace logad::featurize
