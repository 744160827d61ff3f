#include <logad/pipeline/time_order.hpp>

#include <catch2/catch.hpp>

#include <vector>

#include "../support/support.hpp"

using namespace logad;
using namespace logad::pipeline;

namespace {

// Events at the given times (k_no_time: untimed), line numbers 1, 2, ... in that order.
std::vector<Event> at_times(const std::vector<std::int64_t>& times) {
    std::vector<Event> out;
    for (std::int64_t t : times) {
        Event e;
        e.record.ts_ms = t;
        e.record.line = out.size() + 1;
        out.push_back(e);
    }
    return out;
}

struct Passed {
    std::vector<std::int64_t> times;
    std::vector<std::uint64_t> lines;
};

Passed pass(TimeOrder& order, logad::test::Collect<Event>& out, std::vector<Event> events) {
    for (Event& e : events) order.push(e);
    order.finish();
    Passed p;
    for (const Event& e : out.records) {
        p.times.push_back(e.record.ts_ms);
        p.lines.push_back(e.record.line);
    }
    return p;
}

}  // namespace

TEST_CASE("records a few seconds out of order go on in time order - the caller's events stay intact", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({10000}, out);
    std::vector<Event> events = at_times({0, 1000, 4000, 2000, 3000, 5000, 9000, 6000, 30000, 31000});
    for (Event& e : events) order.push(e);
    CHECK(events[3].record.ts_ms == 2000);
    // Held until the stream is 10 s past them: only what 31 s leaves behind has gone on.
    CHECK(out.records.size() == 8);
    order.finish();
    REQUIRE(out.records.size() == 10);
    std::vector<std::int64_t> times;
    for (const Event& e : out.records) times.push_back(e.record.ts_ms);
    CHECK(times == std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000, 6000, 9000, 30000, 31000});
    CHECK(order.stats().reordered == 3);
    CHECK(order.stats().ahead == 0);
    CHECK(out.finished == 1);
}

TEST_CASE("a lone record minutes ahead goes on at the stream's time - one the stream follows keeps its time", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({10000}, out);
    // 180 s ahead, then the stream goes on where it was: a wrong clock.
    const Passed skewed = pass(order, out, at_times({0, 1000, 181000, 2000, 3000}));
    CHECK(skewed.times == std::vector<std::int64_t>{0, 1000, 1000, 2000, 3000});
    CHECK(skewed.lines == std::vector<std::uint64_t>{1, 2, 3, 4, 5});
    CHECK(order.stats().ahead == 1);
    CHECK(order.stream_time() == 3000);

    // A quiet spell, then the stream resumes there: both keep their times.
    logad::test::Collect<Event> out2;
    TimeOrder order2({10000}, out2);
    const Passed moved = pass(order2, out2, at_times({0, 1000, 181000, 182000, 183000}));
    CHECK(moved.times == std::vector<std::int64_t>{0, 1000, 181000, 182000, 183000});
    CHECK(order2.stats().ahead == 0);

    // The last record of the input ahead of the rest: nothing vouches for its clock.
    logad::test::Collect<Event> out3;
    TimeOrder order3({10000}, out3);
    CHECK(pass(order3, out3, at_times({0, 1000, 900000})).times == std::vector<std::int64_t>{0, 1000, 1000});
}

TEST_CASE("a record later than the tolerance goes on at the time already passed on", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({10000}, out);
    const Passed p = pass(order, out, at_times({0, 5000, 20000, 25000, 1000, 26000}));
    // 25 s let 0..15 s go on: the record of 1 s comes too late to be put back before 5 s.
    CHECK(p.times == std::vector<std::int64_t>{0, 5000, 5000, 20000, 25000, 26000});
    CHECK(p.lines == std::vector<std::uint64_t>{1, 2, 5, 3, 4, 6});
    CHECK(order.stats().late == 1);
}

TEST_CASE("untimed records keep their place among their neighbours", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({10000}, out);
    const Passed p = pass(order, out, at_times({k_no_time, 0, 3000, k_no_time, 2000, 4000}));
    CHECK(p.lines == std::vector<std::uint64_t>{1, 2, 5, 3, 4, 6});
    CHECK(p.times[3] == 3000);
    CHECK(p.times[4] == k_no_time);
}

TEST_CASE("the reorder buffer is bounded - when full the earliest goes on early, and is counted", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrderOptions options;
    options.tolerance_ms = 60000;
    options.max_held = 4;
    TimeOrder order(options, out);
    std::vector<Event> events = at_times({0, 100, 200, 300, 400, 500, 600});
    for (Event& e : events) order.push(e);
    CHECK(out.records.size() == 3);
    CHECK(order.stats().early == 3);
    order.finish();
    CHECK(out.records.size() == 7);
}

TEST_CASE("a quiet stream: advance_to passes on what the tolerance left behind and says how far windows may close", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({10000}, out);
    CHECK(order.advance_to(5000) == k_no_time);  // nothing seen: no time known
    std::vector<Event> events = at_times({0, 2000, 60000});
    for (Event& e : events) order.push(e);
    CHECK(out.records.size() == 0);  // 60 s is held aside: the next record will tell
    CHECK(order.advance_to(20000) == 10000);
    CHECK(out.records.size() == 2);
    // Time itself reached the record held aside: its clock was right.
    CHECK(order.advance_to(75000) == 65000);
    REQUIRE(out.records.size() == 3);
    CHECK(out.records.back().record.ts_ms == 60000);
    CHECK(order.stats().ahead == 0);
}

TEST_CASE("tolerance 0 passes records on as they come", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrder order({0}, out);
    std::vector<Event> events = at_times({5000, 0, 900000});
    order.push(events[0]);
    CHECK(out.records.size() == 1);
    const Passed p = pass(order, out, {events[1], events[2]});
    CHECK(p.times == std::vector<std::int64_t>{5000, 0, 900000});
}

TEST_CASE("the reorder buffer is bounded in bytes too - huge lines at one time go on early", "[pipeline]") {
    logad::test::Collect<Event> out;
    TimeOrderOptions options;
    options.max_held_bytes = 1 << 20;
    TimeOrder order(options, out);
    std::vector<Event> events = at_times(std::vector<std::int64_t>(10, 1'700'000'000'000));  // time stands still
    for (Event& e : events) e.record.message.assign(300'000, 'x');
    for (Event& e : events) order.push(e);
    CHECK(out.records.size() == 7);  // three held: 900,000 bytes
    CHECK(order.stats().early == 7);
    order.finish();
    CHECK(out.records.size() == 10);
    for (std::size_t n = 0; n < out.records.size(); ++n) CHECK(out.records[n].record.line == n + 1);
}
