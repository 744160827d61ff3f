// analyze::featurize_events: `logad parse` events in, a header with the fitted space and one row
// per window or session out; lines that are no event are counted, input without events refused.
#include <logad/analyze/featurize_events.hpp>
#include <logad/error.hpp>
#include <logad/event_json.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace logad;

namespace {

// Three minutes of events, one every 10 s, each of two requests' lines in turn.
std::string events_ndjson() {
    std::string out;
    for (int i = 0; i < 18; ++i) {
        Event e;
        e.template_id = 1 + i % 2;
        e.template_text = i % 2 ? "request <*> done" : "request <*> started";
        e.record.message = "request r" + std::to_string(i / 6) + (i % 2 ? " done" : " started");
        e.record.ts_ms = 1700000000000 + i * 10000;
        e.record.line = static_cast<std::uint64_t>(i + 1);
        append_event_json(out, e);  // with its newline
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

}  // namespace

TEST_CASE("featurize events: a header line, then one row per window", "[analyze]") {
    std::istringstream in(events_ndjson() + "not an event\n");
    std::ostringstream out;
    analyze::FeaturizeRequest request;
    request.window = {60000, 0};
    const analyze::FeaturizeRun run = analyze::featurize_events(request, in, out);
    CHECK(run.events == 18);
    CHECK(run.skipped == 1);
    INFO(run.first_skipped);
    CHECK(run.first_skipped.find(":19") != std::string::npos);
    CHECK(run.templates == 2);
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == run.rows + 1);
    CHECK(run.rows >= 2);  // the first minute, begun before the stream, is not a whole window
    CHECK(lines[0].find("\"feature_space\"") != std::string::npos);
    CHECK(lines[0].find("\"per\":\"window\"") != std::string::npos);
}

TEST_CASE("featurize events: one row per session by a key regex, and a session needs a key", "[analyze]") {
    analyze::FeaturizeRequest request;
    request.per = featurize::Granularity::session;
    {
        std::istringstream in(events_ndjson());
        std::ostringstream out;
        CHECK_THROWS_AS(analyze::featurize_events(request, in, out), UsageError);
    }
    request.key = "request (r\\d+)";
    std::istringstream in(events_ndjson());
    std::ostringstream out;
    const analyze::FeaturizeRun run = analyze::featurize_events(request, in, out);
    CHECK(run.rows == 3);  // r0, r1, r2
    CHECK(lines_of(out.str()).size() == 4);
}

TEST_CASE("featurize events: input without events is refused, saying what it holds", "[analyze]") {
    std::istringstream in("cpu,mem\n1,2\n3,4\n");
    std::ostringstream out;
    CHECK_THROWS_AS(analyze::featurize_events({}, in, out), InputError);
}
