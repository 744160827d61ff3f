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

TEST_CASE("line numbers and template ids are written right across carries and jumps and for ids that share a slot", "[core]") {
    // the writer keeps the last line number's text and recent ids' texts between events
    const auto line_and_id = [](std::uint64_t line, std::uint32_t id) {
        Event e;
        e.record.line = line;
        e.record.message = "m";
        e.template_id = id;
        std::string out;
        append_event_json(out, e);
        const auto j = nlohmann::json::parse(out);
        return std::make_pair(j["line"].get<std::uint64_t>(), j["template_id"].get<std::uint32_t>());
    };
    std::uint64_t line = 0;
    const std::uint32_t ids[] = {1, 65, 129, 4294967295u, 0, 9, 10, 469052043, 469052043 + 64};
    for (std::uint64_t step : {1, 1, 7, 1, 1, 80, 1, 1, 899, 1, 1, 8999, 1, 1, 3, 99999989, 1, 1, 1}) {
        line += step;
        for (std::uint32_t id : ids) {
            INFO(line << " " << id);
            CHECK(line_and_id(line, id) == std::make_pair(line, id));
        }
    }
    CHECK(line_and_id(18446744073709551615ull, 7) == std::make_pair(std::uint64_t(18446744073709551615ull), 7u));
    CHECK(line_and_id(5, 7) == std::make_pair(std::uint64_t(5), 7u));  // back down: written afresh
}
