#include <logad/pipeline/incidents.hpp>

#include <catch2/catch.hpp>

#include "../support/support.hpp"
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;

namespace {

constexpr std::int64_t k_t0 = 1'700'000'000'000;

ScoreRecord line_record(std::uint64_t line, std::int64_t ms, std::uint32_t template_id, const std::string& detector,
                        const std::string& reason) {
    ScoreRecord r;
    r.per = "line";
    r.detector = detector;
    r.score = 3;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = line;
    r.start_ms = r.end_ms = ms;
    r.template_id = template_id;
    r.template_text = "Linkerror event interval expired";
    r.message = "line " + std::to_string(line);
    r.reasons = {reason};
    return r;
}

ScoreRecord window_record(std::int64_t start_ms, const std::string& key) {
    ScoreRecord r;
    r.per = "window";
    r.detector = "iforest";
    r.score = 0.8;
    r.threshold = 0.64;
    r.anomaly = true;
    r.start_ms = start_ms;
    r.end_ms = start_ms + 60'000;
    r.key = key;
    r.reasons = {"events in the window: 900, training range 100 to 300"};
    return r;
}

struct Run {
    test::Collect<Incident> out;
    IncidentTracker tracker{IncidentOptions{}, out};
    void push(ScoreRecord r) { tracker.push(r); }
};

}  // namespace

TEST_CASE("a flood of one new template is one incident, written when it opens and when it closes", "[pipeline][incidents]") {
    Run run;
    for (std::uint64_t n = 0; n < 394; ++n) run.push(line_record(100 + n, k_t0 + static_cast<std::int64_t>(n) * 200, 7, "signal:new_template", "template never seen in training"));
    REQUIRE(run.out.records.size() == 1);  // the open record, at the first line
    CHECK(run.out.records[0].state == Incident::State::open);
    CHECK(run.out.records[0].records == 1);
    CHECK(run.out.records[0].first_line == 100);
    run.tracker.finish();
    REQUIRE(run.out.records.size() == 2);
    const Incident& closed = run.out.records[1];
    CHECK(closed.state == Incident::State::closed);
    CHECK(closed.id == run.out.records[0].id);
    CHECK(closed.kind == "new_template");
    CHECK(closed.about == "template");
    CHECK(closed.records == 394);
    CHECK(closed.lines == 394);
    CHECK(closed.first_line == 100);
    CHECK(closed.last_line == 493);
    CHECK(closed.end_ms - closed.start_ms == 393 * 200);
    CHECK(closed.reasons == std::vector<std::string>{"template never seen in training"});
    CHECK(closed.examples.size() == IncidentTracker::k_max_examples);
    CHECK(closed.score == 3);
}

TEST_CASE("records of different detectors on one template join one incident with every detector and reason", "[pipeline][incidents]") {
    Run run;
    run.push(line_record(10, k_t0, 4, "signal:param_range", "duration_ms = 98765, training range 3 to 1500"));
    run.push(line_record(10, k_t0, 4, "iforest", "template seen 2 times in 1000 training lines"));
    run.push(window_record(k_t0 - 30'000, ""));  // no template, no key: joins the incident just seen
    run.tracker.finish();
    REQUIRE(run.out.records.size() == 2);
    const Incident& i = run.out.records[1];
    CHECK(i.detectors == std::vector<std::string>{"signal:param_range", "iforest"});
    CHECK(i.reasons.size() == 3);
    CHECK(i.records == 3);
    CHECK(i.lines == 2);
    CHECK(i.start_ms == k_t0 - 30'000);
}

TEST_CASE("a quiet gap closes an incident and the next record opens a new one", "[pipeline][incidents]") {
    Run run;
    const std::int64_t gap = IncidentOptions{}.gap_ms;
    run.push(line_record(1, k_t0, 3, "signal:silence", "silent for 60 s"));
    run.push(line_record(2, k_t0 + 60'000, 3, "signal:silence", "silent for 60 s"));
    run.push(line_record(3, k_t0 + 60'000 + gap + 1000, 3, "signal:silence", "silent for 60 s"));
    REQUIRE(run.out.records.size() == 3);  // open, closed, open
    CHECK(run.out.records[1].state == Incident::State::closed);
    CHECK(run.out.records[1].records == 2);
    CHECK(run.out.records[2].state == Incident::State::open);
    CHECK(run.out.records[2].id == run.out.records[0].id + 1);
    run.tracker.finish();
    CHECK(run.tracker.opened() == 2);
}

TEST_CASE("a live stream's quiet time closes an incident without a new record", "[pipeline][incidents]") {
    Run run;
    run.push(line_record(1, k_t0, 3, "signal:new_template", "never seen"));
    run.tracker.advance_to(k_t0 + 1000);
    CHECK(run.out.records.size() == 1);
    run.tracker.advance_to(k_t0 + IncidentOptions{}.gap_ms + 1);
    REQUIRE(run.out.records.size() == 2);
    CHECK(run.out.records[1].state == Incident::State::closed);
    CHECK(run.tracker.open_now() == 0);
}

TEST_CASE("different templates and keys are different incidents, and records without time use a line gap", "[pipeline][incidents]") {
    IncidentOptions o;
    o.gap_lines = 100;
    test::Collect<Incident> out;
    IncidentTracker tracker(o, out);
    for (std::uint32_t t : {1u, 2u, 1u}) {
        auto r = line_record(t, k_no_time, t, "signal:new_template", "never seen");
        r.start_ms = r.end_ms = k_no_time;
        tracker.push(r);
    }
    auto w = window_record(k_t0, "host-a");
    w.start_ms = w.end_ms = k_no_time;
    w.first_line = w.last_line = 50;
    tracker.push(w);
    auto late = line_record(500, k_no_time, 1, "signal:new_template", "never seen");
    late.start_ms = late.end_ms = k_no_time;
    tracker.push(late);  // 500 lines after template 1 was last seen: a new incident
    tracker.finish();
    std::size_t opens = 0;
    for (const auto& i : out.records) opens += i.state == Incident::State::open;
    CHECK(opens == 4);  // template 1, template 2, key host-a, template 1 again
    CHECK(out.finished == 1);
}

TEST_CASE("normal rows are not incidents, and open incidents are bounded", "[pipeline][incidents]") {
    IncidentOptions o;
    o.max_open = 3;
    test::Collect<Incident> out;
    IncidentTracker tracker(o, out);
    auto normal = line_record(1, k_t0, 1, "iforest", "");
    normal.anomaly = false;
    tracker.push(normal);
    CHECK(out.records.empty());
    for (std::uint32_t t = 1; t <= 10; ++t) {
        auto r = line_record(t, k_t0, t, "signal:new_template", "never seen");
        tracker.push(r);
    }
    CHECK(tracker.open_now() == 3);
    CHECK(tracker.opened() == 10);
}

TEST_CASE("an incident's NDJSON record has its documented shape", "[pipeline][incidents]") {
    Run run;
    run.push(line_record(5, k_t0, 9, "signal:new_template", "never \"seen\""));
    std::string out;
    append_incident_json(out, run.out.records.at(0));
    CHECK(out.rfind(R"({"per":"incident","incident":1,"state":"open","kind":"new_template","about":"template",)", 0) == 0);
    CHECK(out.find(R"("detectors":["signal:new_template"])") != std::string::npos);
    CHECK(out.find(R"("first_line":5,"last_line":5,"start":"2023-11-14T22:13:20.000Z")") != std::string::npos);
    CHECK(out.find(R"("lines":1,"records":1,"template_id":9,)") != std::string::npos);
    CHECK(out.find(R"("reasons":["never \"seen\""],"examples":["line 5"],)") != std::string::npos);
    CHECK(out.find(R"("scopes":[{"per":"line","detector":"signal:new_template","template_id":9}]})") != std::string::npos);
    CHECK(out.back() == '\n');
}

TEST_CASE("a sparse log is judged at its own pace: the gap needs events as well as time", "[pipeline][incidents]") {
    Run run;
    std::uint64_t events = 0;
    // One line every 13 minutes, each a record of the same new template: the stream has not
    // moved on by 100 events between them, so they are one incident.
    for (int n = 0; n < 4; ++n) {
        events += 1;
        run.tracker.count_events(events);
        run.push(line_record(static_cast<std::uint64_t>(n + 1), k_t0 + n * 13 * 60'000, 5, "signal:new_template", "never seen"));
    }
    CHECK(run.tracker.opened() == 1);
    // A busy stream moves on: 5 minutes and 100 events later the next record opens a new one.
    events += 500;
    run.tracker.count_events(events);
    run.push(line_record(10, k_t0 + 3 * 13 * 60'000 + 6 * 60'000, 5, "signal:new_template", "never seen"));
    CHECK(run.tracker.opened() == 2);
    // A stream that falls silent resolves its incident after max_quiet gaps of time alone.
    const std::int64_t last = k_t0 + 3 * 13 * 60'000 + 6 * 60'000;
    run.tracker.advance_to(last + IncidentOptions{}.gap_ms * 2);
    CHECK(run.tracker.open_now() == 1);
    run.tracker.advance_to(last + IncidentOptions{}.gap_ms * IncidentOptions{}.max_quiet + 1);
    CHECK(run.tracker.open_now() == 0);
}

TEST_CASE("an incident across rotated files names the file of its first and of its last line", "[pipeline][incidents]") {
    // Line numbers restart in each file: line 900 of app.log.1 comes before line 3 of app.log.
    Run run;
    ScoreRecord older = line_record(900, k_t0, 7, "signal:new_template", "template never seen in training");
    older.file = "app.log.1";
    ScoreRecord newer = line_record(3, k_t0 + 1000, 7, "signal:new_template", "template never seen in training");
    newer.file = "app.log";
    run.push(older);
    run.push(newer);
    run.tracker.finish();
    const Incident& closed = run.out.records.back();
    CHECK(closed.first_line == 900);
    CHECK(closed.file == "app.log.1");
    CHECK(closed.last_line == 3);
    CHECK(closed.last_file == "app.log");
    std::string json;
    append_incident_json(json, closed);
    CHECK(json.find(R"("first_line":900,"last_line":3,"file":"app.log.1","last_file":"app.log")") != std::string::npos);
}

TEST_CASE("an incident keeps a few KiB of each text however long its lines - cut with a marker", "[pipeline][incidents]") {
    // Huge unique lines, one new template each, all at one time: every incident stays open.
    test::Collect<Incident> out;
    IncidentTracker tracker(IncidentOptions{}, out);
    std::string huge(470'000, 'x');
    huge.replace(IncidentTracker::k_max_text - 1, 2, "\xc3\xa9");  // a character across the cut
    for (std::uint32_t t = 1; t <= 50; ++t) {
        auto r = line_record(t, k_t0, t, "signal:new_template", huge + " reason " + std::to_string(t));
        r.template_text = huge + " template " + std::to_string(t);
        r.message = huge + " line " + std::to_string(t);
        r.key = huge;
        tracker.push(r);
    }
    CHECK(tracker.open_now() == 50);
    tracker.finish();
    REQUIRE(out.records.size() == 100);
    for (const Incident& i : out.records) {
        std::size_t bytes = i.template_text.size() + i.key.size();
        for (const auto& s : i.examples) bytes += s.size();
        for (const auto& s : i.reasons) bytes += s.size();
        CHECK(bytes <= 4 * (IncidentTracker::k_max_text + 32));
        CHECK(i.template_text.size() <= IncidentTracker::k_max_text + 32);
        CHECK(i.template_text.substr(IncidentTracker::k_max_text - 1) == " ... [" + std::to_string(470'000 + 10 + std::to_string(i.template_id).size() - (IncidentTracker::k_max_text - 1)) + " bytes cut]");
    }
    // Short texts are kept whole.
    test::Collect<Incident> small;
    IncidentTracker ordinary(IncidentOptions{}, small);
    auto r = line_record(1, k_t0, 7, "signal:new_template", "template never seen in training");
    ordinary.push(r);
    REQUIRE(small.records.size() == 1);
    CHECK(small.records[0].template_text == "Linkerror event interval expired");
    CHECK(small.records[0].examples == std::vector<std::string>{"line 1"});
}
