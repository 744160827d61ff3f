// Inputs that once crashed logad (found by fuzzing or the reliability probes), kept as tests.
#include <logad/parse/line_format.hpp>
#include <logad/parse/record_assembler.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace logad;

namespace {

struct Collect final : Sink<Record> {
    std::vector<Record> records;
    void push(Record& r) override { records.push_back(r); }
};

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
        Collect out;
        parse::RecordAssembler assembler(*format, out);
        assembler.push_line(R"({"msg":"before","level":"info"})", 1);
        assembler.push_line(line, 2);
        assembler.finish();
        REQUIRE_FALSE(out.records.empty());
        CHECK(out.records.front().message.rfind("before", 0) == 0);
    }
}
