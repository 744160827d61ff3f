#include <logad/pipeline/window_tally.hpp>

#include <logad/error.hpp>

namespace logad::pipeline {
namespace {

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

}  // namespace

std::string_view component_of(const Record& r) {
    return find_field(r, {"component", "Component", "logger", "logger_name", "service", "service.name", "app", "program",
                          "module", "source", "caller", "host", "hostname", "pod"});
}

std::string_view client_of(const Record& r) {
    return find_field(r, {"client", "remote_addr", "client_ip", "remote_ip", "ip", "src_ip", "user"});
}

WindowTally::WindowTally(std::int64_t window_ms, OnClose on_close)
    : m_clock((window_ms <= 0 ? throw UsageError("window length must be positive") : window_ms), 0, true),
      m_on_close(std::move(on_close)) {}

void WindowTally::close_until(std::int64_t t) {
    m_clock.advance(
        t,
        [this](std::int64_t start, bool partial) {
            Tally& w = m_open.emplace_back();
            w.start_ms = start;
            w.end_ms = start + m_clock.window_ms();
            // Started mid-window: part of it was never seen, so absences in it mean nothing.
            w.complete = !partial;
        },
        [this](std::int64_t /*start: the front's*/) {
            m_on_close(m_open.front());
            m_open.pop_front();
        });
}

void WindowTally::add(const Event& e) {
    const Record& r = e.record;
    if (r.has_time()) {
        close_until(r.ts_ms);
        m_last_ts = m_last_ts == k_no_time ? r.ts_ms : std::max(m_last_ts, r.ts_ms);
    } else if (!m_clock.started()) {
        return;  // no time yet: cannot place it
    }
    Tally& open = m_open.back();
    if (open.events++ == 0) open.first_line = r.line;
    open.last_line = r.line;
    ++open.templates[e.template_id];
    open.first_line_of.try_emplace(e.template_id, r.line);
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
    count_status(open.overall);
    if (const std::string_view c = component_of(r); !c.empty()) {
        std::string name(c);
        auto it = open.components.find(name);
        if (it == open.components.end() && open.components.size() < k_max_window_components)
            it = open.components.emplace(std::move(name), ShareCount{}).first;
        if (it == open.components.end()) {
            ++open.components_over;
        } else if (status != 0) {
            count_status(it->second);
        } else {
            ++it->second.events;
            it->second.bad += bad;
        }
    } else if (status == 0) {
        ++open.overall.events;
        open.overall.bad += bad;
    }
    if (bad)
        if (const std::string_view c = client_of(r); !c.empty()) ++open.clients[std::string(c)];
}

void WindowTally::advance_to(std::int64_t t) {
    if (m_clock.started()) close_until(t);
}

void WindowTally::finish() {
    if (!m_open.empty() && m_last_ts != k_no_time && m_last_ts - m_open.back().start_ms >= m_clock.window_ms() / 2) {
        m_open.back().complete = false;
        m_on_close(m_open.back());
    }
    m_clock.reset();
    m_last_ts = k_no_time;  // a later input (train --update) starts afresh
    m_open.clear();
}

}  // namespace logad::pipeline
