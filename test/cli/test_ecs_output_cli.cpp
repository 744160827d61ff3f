// `logad score --output ecs` and `--output ecs-bulk`: every document conforms to the documented
// mapping in docs/ecs-output.schema.json, says the same as the NDJSON output, and the _bulk body
// alternates action lines and documents.
#include "json_schema_check.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using logad::test::run_logad;
using nlohmann::json;

namespace {

// A model of the example log's first 1000 lines, and the rest to score (it holds an incident).
const std::string& ecs_test_model() {
    static const std::string model = [] {
        const std::string path = logad::test::temp_path("ecs-model.json");
        const auto train = run_logad({"train", "-q", "-o", path, logad::test::write_temp("ecs-train.log", logad::test::example_log(0, 1000))});
        REQUIRE(train.status == 0);
        return path;
    }();
    return model;
}

const std::string& ecs_test_input() {
    static const std::string input = logad::test::write_temp("ecs-rest.log", logad::test::example_log(1000, 805));
    return input;
}

logad::test::JsonSchemaCheck ecs_schema() {
    std::ifstream in(std::string(LOGAD_SOURCE_DIR) + "/docs/ecs-output.schema.json");
    REQUIRE(in);
    return logad::test::JsonSchemaCheck(json::parse(in));
}

std::vector<json> ecs_lines(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
}

}  // namespace

TEST_CASE("score --output ecs writes ECS alerts that match the documented schema", "[cli][ecs]") {
    const auto ecs = run_logad({"score", "-q", "--records", "--output", "ecs", "-m", ecs_test_model(), ecs_test_input()});
    INFO(ecs.err);
    REQUIRE(ecs.status == 0);
    const auto plain = run_logad({"score", "-q", "--records", "-m", ecs_test_model(), ecs_test_input()});
    REQUIRE(plain.status == 0);
    const std::vector<json> docs = ecs_lines(ecs.out);
    const std::vector<json> records = ecs_lines(plain.out);
    REQUIRE(!docs.empty());
    REQUIRE(docs.size() == records.size());  // one document per record or incident, nothing lost

    const auto schema = ecs_schema();
    bool saw_incident = false, saw_record = false;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const json& d = docs[i];
        const json& r = records[i];
        INFO(d.dump());
        CHECK(schema.problems(d).empty());
        CHECK(d["event"]["kind"] == "alert");
        CHECK(d["ecs"]["version"] == "8.11.0");
        std::string reasons;
        for (const auto& reason : r["reasons"]) reasons += (reasons.empty() ? "" : "; ") + reason.get<std::string>();
        CHECK(d["message"] == reasons);  // the reasons in words
        if (r["per"] == "incident") {
            saw_incident = true;
            CHECK(d["event"]["action"] == (r["state"] == "open" ? "incident-opened" : "incident-closed"));
            CHECK(d["rule"]["name"] == r["detectors"][0]);
            CHECK(d["labels"]["incident"] == std::to_string(r["incident"].get<int>()));
            if (r.contains("start")) CHECK(d["event"]["start"] == r["start"]);
            if (r.contains("end")) CHECK(d["event"]["end"] == r["end"]);
        } else {
            saw_record = true;
            CHECK(d["event"]["dataset"] == "logad.anomaly");
            CHECK(d["rule"]["name"] == r["detector"]);
            CHECK(d["logad"]["score"] == r["score"]);
            if (r.contains("template_id")) CHECK(d["labels"]["template_id"] == std::to_string(r["template_id"].get<std::uint32_t>()));
            if (r.contains("start")) CHECK(d["@timestamp"] == r["start"]);
        }
    }
    CHECK(saw_incident);
    CHECK(saw_record);
}

TEST_CASE("the schema checker catches documents off the mapping", "[cli][ecs]") {
    const auto schema = ecs_schema();
    const auto ecs = run_logad({"score", "-q", "--output", "ecs", "-m", ecs_test_model(), ecs_test_input()});
    REQUIRE(ecs.status == 0);
    json good = ecs_lines(ecs.out).at(0);
    REQUIRE(schema.problems(good).empty());
    json extra = good;
    extra["surprise"] = 1;  // an undocumented top-level field
    CHECK(!schema.problems(extra).empty());
    json kind = good;
    kind["event"]["kind"] = "event";
    CHECK(!schema.problems(kind).empty());
    json missing = good;
    missing.erase("@timestamp");
    CHECK(!schema.problems(missing).empty());
    json label = good;
    label["labels"]["template_id"] = 42;  // ECS labels are keywords: strings
    CHECK(!schema.problems(label).empty());
}

TEST_CASE("score --output ecs-bulk writes an Elasticsearch _bulk body", "[cli][ecs]") {
    const auto bulk = run_logad({"score", "-q", "--output", "ecs-bulk", "-m", ecs_test_model(), ecs_test_input()});
    REQUIRE(bulk.status == 0);
    const auto plain = run_logad({"score", "-q", "--output", "ecs", "-m", ecs_test_model(), ecs_test_input()});
    const std::vector<json> lines = ecs_lines(bulk.out);
    const std::vector<json> docs = ecs_lines(plain.out);
    REQUIRE(lines.size() == 2 * docs.size());
    REQUIRE(!bulk.out.empty());
    CHECK(bulk.out.back() == '\n');  // _bulk needs the final newline
    for (std::size_t i = 0; i < docs.size(); ++i) {
        CHECK(lines[2 * i] == json::parse(R"({"create":{}})"));
        CHECK(lines[2 * i + 1]["rule"] == docs[i]["rule"]);
        CHECK(lines[2 * i + 1]["message"] == docs[i]["message"]);
    }
}

TEST_CASE("ECS output is refused where it cannot hold the output", "[cli][ecs]") {
    const auto all = run_logad({"score", "-q", "--all", "--output", "ecs", "-m", ecs_test_model(), ecs_test_input()});
    CHECK(all.status == 2);
    CHECK(all.err.find("logad score: error: --all") != std::string::npos);
    const auto unknown = run_logad({"score", "--output", "xml", "-m", ecs_test_model(), ecs_test_input()});
    CHECK(unknown.status == 2);
    const std::string table = logad::test::write_temp("ecs-table.csv", "a,b\n1,2\n2,3\n3,4\n1,2\n2,2\n");
    const std::string table_model = logad::test::temp_path("ecs-table-model.json");
    REQUIRE(run_logad({"train", "-q", "-o", table_model, table}).status == 0);
    const auto on_table = run_logad({"score", "--output", "ecs", "-m", table_model, table});
    CHECK(on_table.status == 2);
    CHECK(on_table.err.find("table writes ndjson") != std::string::npos);
}
