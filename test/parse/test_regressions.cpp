// Inputs that once crashed logad (found by fuzzing or the reliability probes), kept as tests.
#include <logad/parse/line_format.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/parse/timestamp.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../support/support.hpp"

using namespace logad;

namespace {

}  // namespace

TEST_CASE("a JSON log line nested 100000 levels deep is not JSON to the parser, and does not crash", "[parse]") {
    // nlohmann parses it, but writing a nested member back (dump) recursed once per level.
    const std::string line = R"({"msg":"x","a":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    for (const char* name : {"json", "auto"}) {
        INFO(name);
        parse::FormatOptions options;
        options.format = name;
        options.year = 2026;
        const auto format = parse::make_format(options);
        Record record;
        if (std::string(name) == "json") CHECK(format->parse(line, record).kind == parse::LineResult::no_match);
        logad::test::Collect<Record> out;
        parse::RecordAssembler assembler(*format, out);
        assembler.push_line(R"({"msg":"before","level":"info"})", 1);
        assembler.push_line(line, 2);
        assembler.finish();
        REQUIRE_FALSE(out.records.empty());
        CHECK(out.records.front().message.rfind("before", 0) == 0);
    }
}

TEST_CASE("an epoch field of 19 or more digits neither overflows nor becomes a time", "[parse]") {
    // Found by fuzz_parse_line: `time=2026555...` overflowed a signed accumulator (UBSan).
    CHECK(parse::parse_epoch(std::string(19, '9')) == 9'999'999'999'999);  // nanoseconds -> ms
    CHECK(parse::parse_epoch(std::string(20, '5')) == k_no_time);
    CHECK(parse::parse_epoch(std::string(300, '5') + ".5") == k_no_time);
    for (const char* name : {"logfmt", "auto"}) {
        INFO(name);
        parse::FormatOptions options;
        options.format = name;
        options.year = 2026;
        const auto format = parse::make_format(options);
        Record record;
        const std::string line = "time=2026" + std::string(200, '5') + " level=info msg=hello";
        const auto result = format->parse(line, record);
        CHECK(result.kind == parse::LineResult::record);
        CHECK(record.ts_ms == k_no_time);
    }
}
