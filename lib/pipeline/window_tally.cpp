#include <logad/pipeline/window_tally.hpp>

#include <logad/error.hpp>

namespace logad::pipeline {
namespace {

constexpr std::int64_t k_max_silent_windows = 10000;

// Plain fields, and JSON members holding a plain string ("inventory": JSON logs keep members
// as JSON text); the quotes are dropped. Strings with escapes are left out: names rarely have them.
std::string_view find_field(const Record& r, std::initializer_list<std::string_view> names) {
    for (std::string_view name : names)
        for (const Field& f : r.fields) {
            if (f.key != name || f.value.empty()) continue;
            if (!f.json) return f.value;
            const std::string_view v = f.value;
            if (v.size() > 2 && v.front() == '"' && v.back() == '"' && v.find('\\') == std::string_view::npos)
                return v.substr(1, v.size() - 2);
        }
    return {};
}

std::int64_t floor_to(std::int64_t t, std::int64_t step) {
    const std::int64_t q = t / step;
    return (t % step < 0 ? q - 1 : q) * step;
}

}  // namespace

std::string_view component_of(const Record& r) {
    return find_field(r, {"component", "Component", "logger", "logger_name", "service", "service.name", "app", "program",
                          "module", "source", "caller", "host", "hostname", "pod"});
}

std::string_view client_of(const Record& r) {
    return find_field(r, {"client", "remote_addr", "client_ip", "remote_ip", "ip", "src_ip", "user"});
}

WindowTally::WindowTally(std::int64_t window_ms, OnClose on_close) : m_window_ms(window_ms), m_on_close(std::move(on_close)) {
    if (window_ms <= 0) throw UsageError("window length must be positive");
}

void WindowTally::close_until(std::int64_t t) {
    if (!m_started) return;
    if ((t - m_open.end_ms) / m_window_ms > k_max_silent_windows) {  // a jump in time: skip ahead
        m_on_close(m_open);
        const std::int64_t start = floor_to(t, m_window_ms);
        m_open = Tally{};
        m_open.start_ms = start;
        m_open.end_ms = start + m_window_ms;
        return;
    }
    while (m_open.end_ms <= t) {
        m_on_close(m_open);
        const std::int64_t start = m_open.end_ms;
        m_open = Tally{};
        m_open.start_ms = start;
        m_open.end_ms = start + m_window_ms;
    }
}

void WindowTally::add(const Event& e) {
    const Record& r = e.record;
    if (r.has_time()) {
        if (!m_started) {
            m_started = true;
            m_open.start_ms = floor_to(r.ts_ms, m_window_ms);
            m_open.end_ms = m_open.start_ms + m_window_ms;
            // Started mid-window: part of it was never seen, so absences in it mean nothing.
            m_open.complete = r.ts_ms - m_open.start_ms <= m_window_ms / 10;
        }
        close_until(r.ts_ms);
        m_last_ts = m_last_ts == k_no_time ? r.ts_ms : std::max(m_last_ts, r.ts_ms);
    } else if (!m_started) {
        return;  // no time yet: cannot place it
    }
    if (m_open.events++ == 0) m_open.first_line = r.line;
    m_open.last_line = r.line;
    ++m_open.templates[e.template_id];
    m_open.first_line_of.try_emplace(e.template_id, r.line);
    const bool bad = is_bad(r.level);
    int status = 0;
    for (const Field& f : r.fields)
        if ((status = http_status(f)) != 0) break;
    const auto count_status = [status](ShareCount& s) {
        if (status == 0) return;
        ++s.requests;
        s.c4xx += status / 100 == 4;
        s.c5xx += status / 100 == 5;
    };
    count_status(m_open.overall);
    if (const std::string_view c = component_of(r); !c.empty()) {
        std::string name(c);
        auto it = m_open.components.find(name);
        if (it == m_open.components.end() && m_open.components.size() < k_max_window_components)
            it = m_open.components.emplace(std::move(name), ShareCount{}).first;
        if (it == m_open.components.end()) {
            ++m_open.components_over;
        } else if (status != 0) {
            count_status(it->second);
        } else {
            ++it->second.events;
            it->second.bad += bad;
        }
    } else if (status == 0) {
        ++m_open.overall.events;
        m_open.overall.bad += bad;
    }
    if (bad)
        if (const std::string_view c = client_of(r); !c.empty()) ++m_open.clients[std::string(c)];
}

void WindowTally::advance_to(std::int64_t t) { close_until(t); }

void WindowTally::finish() {
    if (m_started && m_last_ts != k_no_time && m_last_ts - m_open.start_ms >= m_window_ms / 2) {
        m_open.complete = false;
        m_on_close(m_open);
    }
    m_started = false;
    m_last_ts = k_no_time;  // a later input (train --update) starts afresh
    m_open = Tally{};
}

}  // namespace logad::pipeline
