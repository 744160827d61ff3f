// JSON documents holding records (CloudWatch responses, Elasticsearch _search, gcloud's array,
// pretty-printed records) become one line per record; every other input passes unchanged.
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/json_records.hpp>
#include <logad/io/line_reader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

using logad::io::split_json_records;

namespace {

// (line number, text) of every non-blank line read through the splitter.
std::vector<std::pair<std::uint64_t, std::string>> split_lines(const std::string& text) {
    std::istringstream in(text);
    auto source = split_json_records(logad::io::open_input("-", in));
    logad::io::LineReader reader(*source);
    std::vector<std::pair<std::uint64_t, std::string>> out;
    std::string_view line;
    while (reader.next(line))
        if (!line.empty()) out.emplace_back(reader.line_number(), std::string(line));
    return out;
}

std::string passthrough(const std::string& text) {
    std::string all;
    for (const auto& [n, line] : split_lines(text)) all += line + "\n";
    return all;
}

}  // namespace

TEST_CASE("a pretty-printed CloudWatch response gives one line per event, at the event's line", "[io][json_records]") {
    const std::string doc =
        "{\n"
        "    \"events\": [\n"
        "        {\n"
        "            \"logStreamName\": \"a\",\n"
        "            \"timestamp\": 1714557600123,\n"
        "            \"message\": \"one, {two} [three]\"\n"
        "        },\n"
        "        {\"logStreamName\": \"b\", \"timestamp\": 1714557600124, \"message\": \"say \\\"hi\\\"\"}\n"
        "    ],\n"
        "    \"searchedLogStreams\": [{\"logStreamName\": \"a\", \"searchedCompletely\": true}],\n"
        "    \"nextToken\": \"x\"\n"
        "}\n";
    const auto lines = split_lines(doc);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == std::make_pair(std::uint64_t(3), std::string(R"({"logStreamName":"a","timestamp":1714557600123,"message":"one, {two} [three]"})")));
    CHECK(lines[1] == std::make_pair(std::uint64_t(8), std::string(R"({"logStreamName":"b","timestamp":1714557600124,"message":"say \"hi\""})")));
}

TEST_CASE("a compact _search response on one line gives its hits", "[io][json_records]") {
    const std::string doc =
        R"({"took":3,"timed_out":false,"_shards":{"total":1,"failures":[{"shard":0,"reason":{"type":"x"}}]},)"
        R"("hits":{"total":{"value":2},"hits":[{"_index":"i","_id":"1","_source":{"message":"a"}},{"_index":"i","_id":"2","_source":{"message":"b"}}]}})"
        "\n";
    const auto lines = split_lines(doc);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].second == R"({"_index":"i","_id":"1","_source":{"message":"a"}})");
    CHECK(lines[1].second == R"({"_index":"i","_id":"2","_source":{"message":"b"}})");
    CHECK(lines[1].first == 2);  // records sharing a line take the next numbers
    // scroll pages saved one after another: every page's hits
    const std::string page = R"({"_scroll_id":"abc","hits":{"hits":[{"_id":"1","_source":{"message":"a"}}]}})";
    CHECK(split_lines(page + "\n" + page + "\n").size() == 2);
}

TEST_CASE("a top-level array, and pretty-printed records one after another", "[io][json_records]") {
    const auto array = split_lines("[\n  {\n    \"severity\": \"INFO\",\n    \"textPayload\": \"a\"\n  },\n  {\"textPayload\": \"b\"}\n]\n");
    REQUIRE(array.size() == 2);
    CHECK(array[0].first == 2);
    CHECK(array[1].second == R"({"textPayload":"b"})");
    const auto records = split_lines("{\n  \"level\": \"info\",\n  \"msg\": \"a\",\n  \"items\": [1, 2]\n}\n{\n  \"msg\": \"b\"\n}\n");
    REQUIRE(records.size() == 2);
    CHECK(records[0] == std::make_pair(std::uint64_t(1), std::string(R"({"level":"info","msg":"a","items":[1,2]})")));
    CHECK(records[1] == std::make_pair(std::uint64_t(6), std::string(R"({"msg":"b"})")));
}

TEST_CASE("JSON lines, text, tables and cut-off lines pass unchanged", "[io][json_records]") {
    for (const std::string& text : {
             std::string("{\"level\":\"info\",\"msg\":\"a\"}\n{\"level\":\"info\",\"msg\":\"b\"}\n"),
             std::string("[1, 2, 3]\n[4, 5, 6]\n"),
             std::string("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok\n"),
             std::string("2024-05-01 10:00:00 INFO started\n"),
             // a record with a list of timed events in it, and its own time: a record, not a response
             std::string("{\"time\":\"2024-05-01T10:00:00Z\",\"events\":[{\"time\":1,\"x\":2}]}\n"),
             // a JSON line cut inside a string: not a document that goes on
             std::string("{\"msg\":\"cut here\n{\"msg\":\"next\"}\n"),
         }) {
        INFO(text);
        CHECK(passthrough(text) == text);
    }
}

TEST_CASE("damaged documents stop with an error naming the line, after the records before it", "[io][json_records]") {
    const auto read_all = [](const std::string& text, std::vector<std::string>& got) {
        std::istringstream in(text);
        auto source = split_json_records(logad::io::open_input("-", in));
        logad::io::LineReader reader(*source);
        std::string_view line;
        while (reader.next(line))
            if (!line.empty()) got.emplace_back(line);
    };
    std::vector<std::string> got;
    CHECK_THROWS_WITH(read_all("[\n{\"timestamp\":1,\"message\":\"a\"},\n{\"timestamp\":2,\"mess", got),
                      Catch::Contains("truncated") && Catch::Contains("line 1"));
    CHECK(got == std::vector<std::string>{R"({"timestamp":1,"message":"a"})"});
    got.clear();
    CHECK_THROWS_WITH(read_all("{\n  \"events\": [\n    {\"timestamp\": 1}\n  }\n}\n", got),
                      Catch::Contains("line 4") && Catch::Contains("does not close"));
    got.clear();
    CHECK_THROWS_WITH(read_all("[\n{\"a\":1}\n]\nnot json\n", got), Catch::Contains("line 4"));
    CHECK(got.size() == 1);
}

TEST_CASE("cut and damaged documents never crash the splitter: records or an InputError", "[io][json_records]") {
    const std::string doc =
        "{\"took\":3,\"hits\":{\"hits\":[\n"
        "  {\"_index\":\"i\",\"_id\":\"1\",\"_source\":{\"message\":\"a \\\"q\\\" [x] {y}\",\"n\":[1,{\"z\":2}]}},\n"
        "  {\"_index\":\"i\",\"_id\":\"2\",\"_source\":{\"message\":\"b\"}}\n"
        "]}}\n";
    std::uint32_t seed = 7;
    const auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    std::size_t errors = 0, clean = 0;
    for (int round = 0; round < 400; ++round) {
        std::string damaged = doc.substr(0, round < 200 ? next() % doc.size() : doc.size());
        if (round >= 200)
            for (int k = 0; k < 3; ++k) damaged[next() % damaged.size()] = "{}[]\",:\\\n x"[next() % 11];
        INFO(damaged);
        try {
            std::vector<std::pair<std::uint64_t, std::string>> lines = split_lines(damaged);
            // records, or the lines as they are when no longer a document
            CHECK(lines.size() <= std::size_t(std::count(damaged.begin(), damaged.end(), '\n')) + 1);
            ++clean;
        } catch (const logad::InputError&) {
            ++errors;
        }
    }
    CHECK(errors > 0);
    CHECK(clean > 0);
}
