// SignalChecker: every signal (signal.hpp) fed a stream's lines, its windows (WindowTally) and
// its sessions; SignalContext: what the signals read and how they raise alerts.
#include <logad/pipeline/signal.hpp>
#include <logad/pipeline/signals.hpp>

#include "signals/signal_bars.hpp"

#include <algorithm>

namespace logad::pipeline {

SignalContext::SignalContext(const Baseline& baseline, const featurize::FeatureSpace& space, OnAlert on_alert)
    : m_baseline(baseline), m_space(space), m_own_readings(space), m_on_alert(std::move(on_alert)),
      m_window_span(signal_bars::fmt_duration(baseline.window_ms)) {}

std::string SignalContext::describe(std::uint32_t id) const {
    if (auto it = m_space.templates.find(id); it != m_space.templates.end()) return signal_bars::short_text(it->second.text);
    if (auto it = m_new_texts.find(id); it != m_new_texts.end()) return it->second;
    return fmt::format("#{}", id);
}

void SignalContext::note_new_template(const Event& e) {
    // What describe() says, not the whole text: a huge unique line's template would stay whole.
    if (m_new_texts.size() < 100000 && !m_new_texts.count(e.template_id))
        m_new_texts.emplace(e.template_id, signal_bars::short_text(e.template_text));
}


Alert& SignalContext::line_alert(SignalKind kind, double severity, const Event& e) {
    m_alert = Alert{};
    m_alert.signal = kind;
    m_alert.per = "line";
    m_alert.severity = severity;
    m_alert.first_line = m_alert.last_line = e.record.line;
    m_alert.start_ms = m_alert.end_ms = e.record.ts_ms;
    m_alert.template_id = e.template_id;
    return m_alert;
}

Alert& SignalContext::window_alert(SignalKind kind, double severity, const Tally& t) {
    m_alert = Alert{};
    m_alert.signal = kind;
    m_alert.per = "window";
    m_alert.severity = severity;
    m_alert.first_line = t.first_line;
    m_alert.last_line = t.last_line;
    m_alert.start_ms = t.start_ms;
    m_alert.end_ms = t.end_ms;
    return m_alert;
}

Alert& SignalContext::session_alert(SignalKind kind, double severity, const std::string& key, const SessionTrace& s) {
    m_alert = Alert{};
    m_alert.signal = kind;
    m_alert.per = "session";
    m_alert.severity = severity;
    m_alert.key = key;
    m_alert.first_line = s.first_line;
    m_alert.last_line = s.last_line;
    m_alert.start_ms = s.first_ts;
    m_alert.end_ms = s.last_ts;
    return m_alert;
}

SignalChecker::SignalChecker(const Baseline& baseline, const featurize::FeatureSpace& space,
                             const featurize::SessionKey* key, OnAlert on_alert)
    : m_baseline(baseline), m_key(key), m_context(baseline, space, std::move(on_alert)),
      m_tally(baseline.window_ms, [this](const Tally& t) { check_window(t); }),
      m_sessions(baseline.idle_ms, featurize::k_max_open_sessions) {
    for (const SignalKind kind : all_signal_kinds()) {
        auto signal = make_signal(kind);
        switch (signal->per()) {
            case featurize::Granularity::line: m_lines.push_back(std::move(signal)); break;
            case featurize::Granularity::window: m_windows.push_back(std::move(signal)); break;
            case featurize::Granularity::session: m_sessions_signals.push_back(std::move(signal)); break;
        }
    }
}

SignalChecker::~SignalChecker() = default;

void SignalChecker::add_line(const Event& e) {
    if (m_context.owns_readings()) m_context.readings().next_event();
    if (!m_context.space().knows(e.template_id)) m_context.note_new_template(e);
    for (const auto& signal : m_lines)
        if (signal->check_line(e, m_context)) return;  // one alert per line
}

void SignalChecker::check_window(const Tally& t) {
    for (const auto& signal : m_windows) signal->check_window(t, m_context);
}

void SignalChecker::check_session(const std::string& key, const SessionTrace& s) {
    for (const auto& signal : m_sessions_signals) signal->check_session(key, s, m_context);
}

void SignalChecker::add_timed(const Event& e) {
    if (wants_keys()) m_key->extract(e, m_keys);
    add_timed_keyed(e, m_keys);
}

void SignalChecker::add_timed_keyed(const Event& e, const featurize::EventKeys& keys) {
    add_windowed(e);
    if (!wants_keys()) return;
    const auto check = [this](Sessions::Session& s) { check_session(s.key, s.state); };
    m_sessions.advance_to(e.record.ts_ms, check);
    m_dropped_keys += keys.dropped;
    for (const std::string& k : keys.keys) trace(m_sessions.touch(k, e.record.line, check), e);
}

void SignalChecker::trace(SessionTrace& s, const Event& e) {
    const std::int64_t t = e.record.ts_ms;
    if (s.order.empty()) {
        s.first_line = e.record.line;
        s.first_ts = t;
    }
    s.last_line = e.record.line;
    if (t != k_no_time) {
        if (s.first_ts == k_no_time) s.first_ts = t;
        s.last_ts = std::max(s.last_ts, t);
    }
    if (std::find(s.order.begin(), s.order.end(), e.template_id) == s.order.end()) {
        s.order.push_back(e.template_id);
        s.lines.push_back(e.record.line);
    }
}

void SignalChecker::advance_windows(std::int64_t t) { m_tally.advance_to(t); }

void SignalChecker::finish_windows() { m_tally.finish(); }

void SignalChecker::advance_to(std::int64_t t) {
    advance_windows(t);
    if (m_key) m_sessions.advance_to(t, [this](Sessions::Session& s) { check_session(s.key, s.state); });
}

void SignalChecker::finish() {
    finish_windows();
    m_sessions.close_all([this](Sessions::Session& s) { check_session(s.key, s.state); });
}

}  // namespace logad::pipeline
