#include <logad/featurize/open_sessions.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using logad::featurize::OpenSessions;

namespace {

struct Count {
    int events = 0;
};

// Feeds events (key, line, time) and records the keys in the order their sessions closed.
struct Tracker {
    OpenSessions<Count> open;
    std::vector<std::string> closed;
    Tracker(std::int64_t idle_ms, std::size_t max_open) : open(idle_ms, max_open) {}
    void event(const std::string& key, std::uint64_t line, std::int64_t t) {
        const auto close = [this](auto& s) { closed.push_back(s.key + ":" + std::to_string(s.state.events)); };
        open.advance_to(t, close);
        ++open.touch(key, line, close).events;
    }
    void end() {
        open.close_all([this](auto& s) { closed.push_back(s.key + ":" + std::to_string(s.state.events)); });
    }
};

}  // namespace

TEST_CASE("a session closes once the stream clock is idle_ms past its last event, not before") {
    Tracker t(1000, 100);
    t.event("a", 1, 0);
    t.event("a", 2, 500);
    t.event("b", 3, 1499);  // a was last active at 500: 999 ms ago
    CHECK(t.closed.empty());
    t.event("b", 4, 1500);  // now 1000 ms
    CHECK(t.closed == std::vector<std::string>{"a:2"});
    t.end();
    CHECK(t.closed == std::vector<std::string>{"a:2", "b:2"});
}

TEST_CASE("a late or untimed event keeps its session open from the clock, not from its own time") {
    Tracker t(1000, 100);
    t.event("a", 1, 5000);
    t.event("b", 2, 5800);
    t.event("a", 3, 100);              // late in time, but active now (clock 5800)
    t.event("a", 4, logad::k_no_time);  // no time at all: also active now
    t.event("c", 5, 6800);             // b idle 1000 ms; a, stamped at 5800, too
    CHECK(t.closed == std::vector<std::string>{"a:3", "b:1"});
}

TEST_CASE("sessions opened before any time is seen start at the first time") {
    Tracker t(1000, 100);
    t.event("a", 1, logad::k_no_time);
    t.event("b", 2, 10000);
    CHECK(t.closed.empty());  // a does not close at once for lacking a time
    t.event("b", 3, 10500);
    t.event("c", 4, 11000);
    CHECK(t.closed == std::vector<std::string>{"a:1"});
}

TEST_CASE("past max_open the least recently active session closes early and is counted") {
    Tracker t(1000000, 2);
    t.event("a", 1, 0);
    t.event("b", 2, 1);
    t.event("a", 3, 2);  // a is now the most recently active
    t.event("c", 4, 3);
    CHECK(t.closed == std::vector<std::string>{"b:1"});
    CHECK(t.open.evicted() == 1);
    CHECK(t.open.size() == 2);
}

TEST_CASE("sessions closing together, and those left at the end, close in order of first appearance") {
    Tracker t(1000, 100);
    t.event("late", 1, 0);
    t.event("early", 2, 0);
    t.event("late", 3, 10);  // most recently active, but first to appear
    t.event("z", 4, 5000);   // both idle now
    CHECK(t.closed == std::vector<std::string>{"late:2", "early:1"});
    t.event("y", 5, 5001);
    t.event("z", 6, 5002);
    t.end();
    CHECK(t.closed == std::vector<std::string>{"late:2", "early:1", "z:2", "y:1"});
}

TEST_CASE("after close_all the next segment keeps a clock of its own") {
    Tracker t(1000, 100);
    t.event("a", 1, 50000);
    t.end();  // the end of one file
    t.event("b", 2, 100);  // the next file is earlier in time
    t.event("c", 3, 1100);
    CHECK(t.closed == std::vector<std::string>{"a:1", "b:1"});
}
