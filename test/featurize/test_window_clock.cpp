// The one window clock: where windows start, when they open and close, partial starts and jumps.
#include <logad/error.hpp>
#include <logad/featurize/window_clock.hpp>

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace logad;
using namespace logad::featurize;

namespace {

struct ClockLog {
    std::vector<std::pair<std::int64_t, bool>> opened;  // start, partial
    std::vector<std::int64_t> closed;
    void advance(WindowClock& c, std::int64_t t) {
        c.advance(
            t, [&](std::int64_t start, bool partial) { opened.emplace_back(start, partial); },
            [&](std::int64_t start) { closed.push_back(start); });
    }
};

}  // namespace

TEST_CASE("the window clock opens windows on its slide grid and closes them as time passes their end", "[featurize]") {
    WindowClock c(60000, 20000);
    ClockLog log;
    log.advance(c, 1000);  // within a tenth of the window: the window at 0 counts as whole
    CHECK(log.opened == std::vector<std::pair<std::int64_t, bool>>{{0, false}});
    log.advance(c, 65000);
    CHECK(log.closed == std::vector<std::int64_t>{0});
    CHECK(c.open() == std::deque<std::int64_t>{20000, 40000, 60000});
    CHECK(c.window_ms() == 60000);
    CHECK(c.slide_ms() == 20000);
    CHECK_THROWS_AS(WindowClock(60000, 90000), UsageError);
    CHECK_THROWS_AS(WindowClock(0, 0), UsageError);
}

TEST_CASE("a stream starting mid-window skips its first window, or opens it marked partial", "[featurize]") {
    WindowClock skip(60000, 0);
    ClockLog a;
    a.advance(skip, 30000);
    CHECK(a.opened.empty());  // the first whole window starts at 60000
    a.advance(skip, 60000);
    CHECK(a.opened == std::vector<std::pair<std::int64_t, bool>>{{60000, false}});

    WindowClock partial(60000, 0, true);
    ClockLog b;
    b.advance(partial, 30000);
    CHECK(b.opened == std::vector<std::pair<std::int64_t, bool>>{{0, true}});
    b.advance(partial, 60000);
    CHECK(b.closed == std::vector<std::int64_t>{0});
}

TEST_CASE("a jump in time closes what is open and skips the empty windows between", "[featurize]") {
    WindowClock c(1000, 0);
    ClockLog log;
    log.advance(c, 0);
    log.advance(c, 50'000'000);  // 50,000 windows later, beyond k_max_empty_windows
    CHECK(log.closed == std::vector<std::int64_t>{0});
    CHECK(log.opened.back() == std::pair<std::int64_t, bool>{50'000'000, false});
    CHECK(log.opened.size() == 2);
    CHECK(c.skipped_windows() == 49'999);
}
