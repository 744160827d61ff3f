// What `logad report` gathers, from lines as `logad score` and `logad parse` write them.
#include <logad/pipeline/report_data.hpp>

#include <logad/event_json.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include <catch2/catch.hpp>

using namespace logad;
using namespace logad::pipeline;

TEST_CASE("report data: records, incidents and events as their writers write them", "[pipeline][report]") {
    ScoreRecord r;
    r.per = "line";
    r.detector = "signal:new_template";
    r.score = 3;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = 12;
    r.start_ms = r.end_ms = 1'700'000'000'000;
    r.template_id = 42;
    r.template_text = "User <*> logged in";
    r.message = "User bob logged in";
    r.reasons = {"a template never seen in training"};
    std::string line;
    append_score_json(line, r);

    ReportData d;
    REQUIRE(d.add_record(line));
    CHECK(d.records == 1);
    CHECK(d.anomalies == 1);
    CHECK(d.times);
    CHECK(d.first == 1'700'000'000'000);
    CHECK(d.anomalies_by_detector.at("signal:new_template") == 1);
    REQUIRE(d.top.size() == 1);
    CHECK(d.top[0].covers == "line 12");
    CHECK(d.top[0].when == "2023-11-14T22:13:20.000Z");
    CHECK(d.top[0].ratio == 3);
    CHECK(d.templates.at(42).is_new);
    CHECK(d.templates.at(42).count == 0);  // a signal's record is not a line of the template

    Incident i;
    i.id = 1;
    i.state = Incident::State::closed;
    i.kind = "new_template";
    i.score = 3;
    i.first_line = 12;
    i.last_line = 14;
    i.template_text = "User <*> logged in";
    i.start_ms = 1'700'000'000'000;
    line.clear();
    append_incident_json(line, i);
    REQUIRE(d.add_record(line));
    REQUIRE(d.top_incidents.size() == 1);
    CHECK(d.top_incidents[0].covers == "lines 12-14");
    CHECK(d.top_incidents[0].subject == "User <*> logged in");
    i.state = Incident::State::open;
    line.clear();
    append_incident_json(line, i);
    REQUIRE(d.add_record(line));
    CHECK(d.opened == 1);
    CHECK(d.incidents == 1);

    Event e;
    e.record.line = 1;
    e.record.message = "User bob logged in";
    e.record.ts_ms = 1'700'000'000'000;
    e.template_id = 42;
    e.template_text = "User <*> logged in";
    line.clear();
    append_event_json(line, e);
    REQUIRE(d.add_event(line));
    CHECK(d.events == 1);
    CHECK(d.templates.at(42).count == 1);
    CHECK(d.event_times.size() == 1);
}

TEST_CASE("report data: a table row and lines that are not records", "[pipeline][report]") {
    ReportData d;
    REQUIRE(d.add_record(R"({"row":3,"score":0.9,"threshold":0.5,"anomaly":true})"));
    REQUIRE(d.top.size() == 1);
    CHECK(d.top[0].covers == "row 3");
    CHECK(d.top[0].per == "row");
    CHECK(d.top[0].detector == "model");
    CHECK_FALSE(d.times);  // no time: the x axis is lines

    CHECK_FALSE(d.add_record("not json"));
    CHECK_FALSE(d.add_record(R"({"per":"line","detector":"iforest"})"));                          // no score
    CHECK_FALSE(d.add_record(R"({"per":"line","detector":"iforest","score":1})"));                // no threshold
    CHECK_FALSE(d.add_record(R"({"per":"line","score":"x","threshold":1})"));                     // damaged
    CHECK_FALSE(d.add_event(R"({"per":"line","score":1,"threshold":1})"));                        // a record, not an event
    CHECK(d.records == 1);
}
