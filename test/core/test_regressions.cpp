// Inputs that once crashed logad (found by fuzzing or the reliability probes), kept as tests.
#include <logad/event_json.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <nlohmann/json.hpp>

TEST_CASE("an event whose fields nest 100000 levels deep is refused as a line, not a stack overflow", "[core]") {
    const std::string line = R"({"message":"x","fields":{"a":)" + std::string(100000, '[') + std::string(100000, ']') + "}}";
    logad::Event event;
    CHECK(logad::read_event_json(line, event) == "JSON nested too deeply");
    CHECK(logad::read_event_json(R"({"message":"x","fields":{"a":[[[1]]]}})", event).empty());
    REQUIRE(event.record.fields.size() == 1);
    CHECK(event.record.fields[0].value == "[[[1]]]");
}
