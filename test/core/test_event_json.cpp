#include <logad/event_json.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace logad;

TEST_CASE("an event written as NDJSON reads back the same", "[core]") {
    Event e;
    e.record.line = 42;
    e.record.line_count = 3;
    e.record.ts_ms = 1226262975123;
    e.record.level = Level::warn;
    e.record.message = "Retry 2 of 3 \xFF";
    e.record.fields = {{"Component", "dfs.DataNode", false}, {"pid", "148", true}};
    e.template_id = 77;
    e.template_text = "Retry <*> of <*>";
    e.params = {{"2", ParamKind::number}, {"10.0.0.1:80", ParamKind::ip}};
    std::string out;
    append_event_json(out, e);
    REQUIRE(out.back() == '\n');
    const auto j = nlohmann::json::parse(out);
    CHECK(out.rfind(R"({"logad":"event",)", 0) == 0);  // says what it is, first
    CHECK(j["ts"] == "2008-11-09T20:36:15.123Z");
    CHECK(j["level"] == "warn");
    CHECK(j["fields"]["pid"] == 148);
    CHECK(j["param_kinds"][1] == "ip");

    Event back;
    REQUIRE(read_event_json(std::string_view(out).substr(0, out.size() - 1), back).empty());
    CHECK(back.record.line == 42);
    CHECK(back.record.line_count == 3);
    CHECK(back.record.ts_ms == e.record.ts_ms);
    CHECK(back.record.level == Level::warn);
    CHECK(back.record.message == "Retry 2 of 3 \xEF\xBF\xBD");  // the invalid byte was replaced
    CHECK(back.template_id == 77);
    CHECK(back.template_text == e.template_text);
    REQUIRE(back.params.size() == 2);
    CHECK(back.params[1].value == "10.0.0.1:80");
    CHECK(back.params[1].kind == ParamKind::ip);
    REQUIRE(back.record.fields.size() == 2);
}

TEST_CASE("lines that are not events get a reason, not an exception", "[core]") {
    Event e;
    CHECK_FALSE(read_event_json("{\"line\":1", e).empty());
    CHECK_FALSE(read_event_json("[1,2]", e).empty());
    CHECK_FALSE(read_event_json("{\"line\":1}", e).empty());
    CHECK_FALSE(read_event_json(R"({"message":"x","ts":"yesterday"})", e).empty());
    // Optional members of the wrong type are ignored rather than rejecting the event.
    CHECK(read_event_json(R"({"message":"x","params":[1],"template_id":-4})", e).empty());
    CHECK(e.template_id == 0);
    CHECK(read_event_json(R"({"message":"x","ts":"2020-01-01T01:00:00+01:00"})", e).empty());
    CHECK(e.record.ts_ms == 1577836800000);
}

TEST_CASE("level names and param kinds", "[core]") {
    CHECK(parse_level("WARNING") == Level::warn);
    CHECK(parse_level("E") == Level::error);
    CHECK(parse_level("30") == Level::info);  // bunyan
    CHECK(parse_level("3") == Level::error);  // syslog err
    CHECK(parse_level("[INFO]") == Level::info);
    CHECK(parse_level("banana") == Level::unknown);
    CHECK(level_name(Level::fatal) == "fatal");
    CHECK(param_kind_name(ParamKind::uuid) == "uuid");
}
