// ECS documents for alerts (include/logad/ops/ecs.hpp): severity steps, time fallbacks, labels
// as strings, and the _bulk action line.
#include <logad/ops/ecs.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace logad;

TEST_CASE("ECS severity steps follow score / threshold", "[ops][ecs]") {
    CHECK(ops::ecs_severity(1.2, 1.0) == 21);
    CHECK(ops::ecs_severity(1.5, 1.0) == 47);
    CHECK(ops::ecs_severity(0.9, 0.3) == 73);
    CHECK(ops::ecs_severity(12, 1.0) == 99);
    CHECK(ops::ecs_severity(1, 0) == 99);  // any score over a zero threshold
}

TEST_CASE("an ECS record document: time, rule, labels and the logad fields", "[ops][ecs]") {
    pipeline::ScoreRecord r;
    r.per = "line";
    r.detector = "signal:new_template";
    r.score = 2;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = 17;
    r.template_id = 42;
    r.template_text = "disk <*> full";
    r.message = "disk sda full";
    r.reasons = {"template never seen", "level error rare"};
    std::string out;
    ops::append_ecs_record(out, r, 1714557600000);  // no time in the record: the wall clock
    REQUIRE(out.back() == '\n');
    const auto d = nlohmann::json::parse(out);
    CHECK(d["@timestamp"] == "2024-05-01T10:00:00.000Z");
    CHECK(!d["event"].contains("start"));
    CHECK(d["event"]["severity"] == 47);
    CHECK(d["log"]["level"] == "warning");
    CHECK(d["rule"]["name"] == "signal:new_template");
    CHECK(d["message"] == "template never seen; level error rare");
    CHECK(d["labels"]["template_id"] == "42");
    CHECK(d["logad"]["line"] == 17);
    CHECK(d["logad"]["log_message"] == "disk sda full");
    CHECK(d["ecs"]["version"] == std::string(ops::k_ecs_version));

    pipeline::Incident i;
    i.id = 3;
    i.kind = "burst";
    i.detectors = {"signal:burst"};
    i.score = 30;
    i.start_ms = 1714557600000;
    i.end_ms = 1714557660000;
    i.records = 2;
    out.clear();
    ops::append_ecs_incident(out, i, 0);
    const auto inc = nlohmann::json::parse(out);
    CHECK(inc["event"]["action"] == "incident-opened");
    CHECK(inc["event"]["duration"] == 60'000'000'000LL);
    CHECK(inc["event"]["severity"] == 99);
    CHECK(inc["log"]["level"] == "error");
    CHECK(inc["labels"]["incident"] == "3");
    CHECK(nlohmann::json::parse(ops::k_bulk_action) == nlohmann::json::parse(R"({"create":{}})"));
}
