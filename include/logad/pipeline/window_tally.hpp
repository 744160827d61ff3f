#pragma once
// Tumbling event-time windows of simple tallies, shared by the baseline learner (training) and
// the signal checker (scoring) so both see windows the same way; their boundaries come from the
// window featurizer's clock (featurize/window_clock.hpp), the first window opened even when the
// stream started within it (marked incomplete). Tallied: per template counts, per
// component (the entity a record names: component, service, host, pod...) event, warn/error
// and HTTP status class counts, the same over all events, per client warn/error counts.
#include <logad/featurize/window_clock.hpp>
#include <logad/record.hpp>

#include <deque>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace logad::pipeline {

// An event with an HTTP status counts as a request of its class; one without, by its level
// (an access log's level only restates its status: counting both would say it twice).
struct ShareCount {
    std::uint32_t events = 0, bad = 0;               // events without a status; warnings/errors among them
    std::uint32_t requests = 0, c4xx = 0, c5xx = 0;  // events with an HTTP status; 4xx and 5xx among them
};

// Components a window tallies one by one (bounded memory, above the number a baseline learns);
// the events of any further ones are only counted.
inline constexpr std::size_t k_max_window_components = 4096;

struct Tally {
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    std::uint64_t first_line = 0, last_line = 0;
    std::uint64_t events = 0;
    bool complete = true;  // false for a window cut short by the start or end of input
    std::unordered_map<std::uint32_t, std::uint32_t> templates;                       // id -> count
    std::unordered_map<std::string, ShareCount> components;
    std::uint32_t components_over = 0;  // events of components past k_max_window_components
    // Over all events: requests of every component and none; events and warnings/errors only
    // of those that name no component (a component's level share is its own).
    ShareCount overall;
    std::unordered_map<std::string, std::uint32_t> clients;                           // bad events
    std::unordered_map<std::uint32_t, std::uint64_t> first_line_of;                   // template -> line
};

// The fields that name a component (or the service, host or pod a line comes from) and a
// client, looked up in this order; empty when none.
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
    featurize::WindowClock m_clock;
    OnClose m_on_close;
    std::deque<Tally> m_open;  // the clock's open windows (one at a time but while the next opens)
    std::int64_t m_last_ts = k_no_time;
};

}  // namespace logad::pipeline
