// What the clients of managed logging services print, read by `logad parse`, `train` and `score`
// without a --format: each committed sample under examples/formats/ is recognised, its envelope's
// time, level and entities land in the record, and the log line inside is parsed in its own format.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using logad::test::run_logad;
using nlohmann::json;

namespace {

std::string stack_sample(const std::string& name) { return std::string(LOGAD_SOURCE_DIR) + "/examples/formats/" + name; }

std::vector<json> parsed_records(const std::string& out) {
    std::vector<json> records;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) records.push_back(json::parse(line));
    return records;
}

struct StackSample {
    const char* file;
    std::size_t records;
    bool leveled;
    std::vector<const char*> fields;  // in every record
};

std::string read_sample_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("managed-service samples are recognised in auto mode with their fields", "[cli][stack]") {
    const StackSample samples[] = {
        {"cloudwatch-tail.log", 48, false, {"log_stream"}},
        {"cloudwatch-events.json", 30, true, {"log_stream", "path", "status", "latency_ms"}},
        {"elasticsearch-search.json", 30, true, {"_index", "service", "host", "log.logger"}},
        {"elasticdump.ndjson", 30, true, {"_index", "service", "host"}},
        {"gcloud-logging.json", 30, true, {"pod", "container", "resource.type", "resource.labels.namespace_name"}},
        {"docker-json.log", 30, true, {"stream"}},
        {"kubectl-prefix.log", 30, false, {"pod", "container"}},
        {"journald.json", 30, true, {"service", "host", "app", "pid"}},
    };
    for (const StackSample& s : samples) {
        INFO(s.file);
        const auto parsed = run_logad({"parse", "-q", stack_sample(s.file)});
        INFO(parsed.err);
        REQUIRE(parsed.status == 0);
        const auto records = parsed_records(parsed.out);
        CHECK(records.size() == s.records);
        for (const json& r : records) {
            INFO(r.dump());
            CHECK(r.contains("ts"));
            if (s.leveled) CHECK(r.contains("level"));
            for (const char* f : s.fields) CHECK(r["fields"].contains(f));
            // the line inside was parsed: no envelope or JSON text left in the message
            const std::string message = r["message"];
            CHECK(message.rfind("{", 0) == std::string::npos);
            CHECK(message.find("\"log\"") == std::string::npos);
        }
    }
}

TEST_CASE("the line inside an envelope is parsed as its own format", "[cli][stack]") {
    // Docker: Python-style text lines and JSON lines from two services
    const auto docker = parsed_records(run_logad({"parse", "-q", stack_sample("docker-json.log")}).out);
    REQUIRE(docker.size() == 30);
    CHECK(docker[0]["message"].get<std::string>().rfind("[worker] worker 3 processed job", 0) == 0);
    CHECK(docker[1]["message"] == "cache refreshed");
    CHECK(docker[1]["fields"].contains("keys"));
    CHECK(docker[20]["level"] == "error");
    CHECK(docker[20]["fields"]["stream"] == "stderr");
    // aws logs tail of a Lambda: the runtime's tab-separated line gives level and request id
    const auto lambda = parsed_records(run_logad({"parse", "-q", stack_sample("cloudwatch-tail.log")}).out);
    std::size_t errors = 0, with_request = 0;
    for (const json& r : lambda) {
        errors += r.value("level", "") == "error";
        with_request += r["fields"].contains("request_id");
    }
    CHECK(errors == 1);
    CHECK(with_request == 12);
    // CloudWatch events: line numbers point into the pretty-printed document
    const auto events = parsed_records(run_logad({"parse", "-q", stack_sample("cloudwatch-events.json")}).out);
    REQUIRE(events.size() == 30);
    CHECK(events[0]["line"] == 3);
    CHECK(events[1]["line"] == 10);
    // Elasticsearch: nested and dotted ECS documents read alike
    const auto hits = parsed_records(run_logad({"parse", "-q", stack_sample("elasticsearch-search.json")}).out);
    REQUIRE(hits.size() == 30);
    CHECK(hits[0]["fields"]["service"] == "checkout");
    CHECK(hits[1]["fields"]["service"] == "inventory");
    CHECK(hits[0]["fields"]["log.logger"] == hits[1]["fields"]["log.logger"]);
}

TEST_CASE("managed-service inputs train and score, from files and from pipes", "[cli][stack]") {
    const std::string model = logad::test::temp_path("stack-kubectl.json");
    // entities as keys: one session per pod
    const auto train = run_logad({"train", "-q", "--key", "pod", "-o", model, stack_sample("kubectl-prefix.log")});
    INFO(train.err);
    REQUIRE(train.status == 0);
    const auto score = run_logad({"score", "-m", model}, read_sample_text(stack_sample("kubectl-prefix.log")));
    INFO(score.err);
    CHECK((score.status == 0 || score.status == 1));
    CHECK(score.err.find("30 lines, 30 events") != std::string::npos);
    CHECK(score.err.find("matched none") == std::string::npos);  // the pod key was found

    // a whole filter-log-events document on stdin, as `aws logs filter-log-events | logad score`
    const std::string cw_model = logad::test::temp_path("stack-cloudwatch.json");
    REQUIRE(run_logad({"train", "-q", "-o", cw_model, stack_sample("cloudwatch-events.json")}).status == 0);
    const auto piped = run_logad({"score", "-m", cw_model}, read_sample_text(stack_sample("cloudwatch-events.json")));
    INFO(piped.err);
    CHECK(piped.status == 0);
    CHECK(piped.err.find("30 events") != std::string::npos);
}

TEST_CASE("a damaged JSON document is a clear error, after the records before it", "[cli][stack]") {
    const std::string whole = read_sample_text(stack_sample("gcloud-logging.json"));
    const std::string cut = logad::test::write_temp("stack-cut.json", whole.substr(0, whole.size() / 2));
    const auto parsed = run_logad({"parse", cut});
    CHECK(parsed.status == 2);
    CHECK(parsed.err.find("logad parse: error: ") != std::string::npos);
    CHECK(parsed.err.find("truncated") != std::string::npos);
    CHECK(!parsed.out.empty());  // the entries before the cut
    const std::string bad = logad::test::write_temp("stack-bad.json", "{\n  \"events\": [\n    {\"timestamp\": 1, \"message\": \"a\"}\n  }\n");
    const auto mismatched = run_logad({"parse", bad});
    CHECK(mismatched.status == 2);
    CHECK(mismatched.err.find("line 4") != std::string::npos);
}
