#pragma once
// Tumbling event-time windows of simple tallies, shared by the baseline learner (training) and
// the signal checker (scoring) so both see windows the same way: per template counts, per
// component event and warn/error counts, per client warn/error counts.
#include <logad/record.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace logad::pipeline {

struct Tally {
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    std::uint64_t first_line = 0, last_line = 0;
    std::uint64_t events = 0;
    bool complete = true;  // false for a window cut short by the start or end of input
    std::unordered_map<std::uint32_t, std::uint32_t> templates;                       // id -> count
    std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> components;  // events, bad
    std::unordered_map<std::string, std::uint32_t> clients;                           // bad events
    std::unordered_map<std::uint32_t, std::uint64_t> first_line_of;                   // template -> line
};

// The fields that name a component and a client, looked up in this order; empty when none.
std::string_view component_of(const Record& r);
std::string_view client_of(const Record& r);
inline bool is_bad(Level l) { return l == Level::warn || l == Level::error || l == Level::fatal; }

class WindowTally {
public:
    using OnClose = std::function<void(const Tally&)>;
    WindowTally(std::int64_t window_ms, OnClose on_close);

    void add(const Event& event);
    void advance_to(std::int64_t t);  // closes windows that end at or before t (silent ones too)
    void finish();                    // closes the open window, marked incomplete, if half of it elapsed

private:
    void close_until(std::int64_t t);
    std::int64_t m_window_ms;
    OnClose m_on_close;
    Tally m_open;
    bool m_started = false;
    std::int64_t m_last_ts = k_no_time;
};

}  // namespace logad::pipeline
