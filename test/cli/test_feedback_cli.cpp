// The feedback loop through the real binary: score, call a false positive normal, score again;
// and `train --update` on new normal logs.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

const std::string k_benign_line = "2026-11-20 09:07:42.100 INFO  [main] CacheWarmer: Cache warmed with 5120 entries in 12 ms";
const std::string k_failure_line = "2026-11-20 09:07:42.500 ERROR [worker-1] Db: disk failure on /dev/sdb";

std::string train_baseline(const std::string& name) {
    const std::string model = logad::test::temp_path(name);
    const auto r = logad::test::run_logad({"train", "-q", "-f", logad::test::k_app_log_format, "-o", model, logad::test::write_temp("fb-baseline.log", logad::test::example_log(0, 1000))});
    REQUIRE(r.status == 0);
    return model;
}

// The score records for one message, by their "message" field.
std::vector<nlohmann::json> records_about(const std::string& ndjson, const std::string& message_start) {
    std::vector<nlohmann::json> out;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        if (j.value("message", "").rfind(message_start, 0) == 0) out.push_back(j);
    }
    return out;
}

std::string score(const std::string& model, const std::string& log) {
    const auto r = logad::test::run_logad({"score", "--records", "-q", "-m", model, log});
    REQUIRE(r.status == 0);
    return r.out;
}

}  // namespace

TEST_CASE("a false positive disappears after feedback while a true anomaly still alerts", "[cli][feedback]") {
    const std::string model = train_baseline("fb-model.json");
    const std::string run = logad::test::write_temp("fb-run.log", logad::test::example_log(0, 1000) + k_benign_line + "\n" + k_failure_line + "\n");
    const std::string before = score(model, run);
    const auto fp = records_about(before, "Cache warmed");
    REQUIRE(fp.size() == 1);
    REQUIRE(records_about(before, "disk failure").size() == 1);
    CHECK(logad::test::run_logad({"check", "-m", model, run}).status == 1);

    SECTION("given as the score record") {
        const auto r = logad::test::run_logad({"feedback", "-m", model, "--normal", fp[0].dump()});
        CHECK(r.status == 0);
    }
    SECTION("given as a file of score records on stdin") {
        const auto r = logad::test::run_logad({"feedback", "-m", model, "--normal", "-"}, fp[0].dump() + "\n");
        CHECK(r.status == 0);
    }
    SECTION("given as the raw log line") {
        CHECK(logad::test::run_logad({"feedback", "-m", model, "--normal", k_benign_line}).status == 0);
    }
    SECTION("given as a template id, until a date after the run") {
        const std::string id = std::to_string(fp[0]["template_id"].get<std::uint32_t>());
        CHECK(logad::test::run_logad({"feedback", "-m", model, "--normal", id, "--until", "2026-11-21"}).status == 0);
    }
    const std::string after = score(model, run);
    CHECK(records_about(after, "Cache warmed").empty());
    const auto failure = records_about(after, "disk failure");
    REQUIRE(failure.size() == 1);
    CHECK(failure[0]["anomaly"] == true);
    // The CI gate sees the same: one anomaly left.
    const auto check = logad::test::run_logad({"check", "-m", model, run});
    CHECK(check.status == 1);
    CHECK_THAT(check.out, Catch::StartsWith("logad check: FAIL: 1 incident from 1 anomaly record (0 incidents tolerated)"));
    CHECK(logad::test::run_logad({"check", "-m", model, "--max-anomalies", "1", run}).status == 0);

    const auto list = logad::test::run_logad({"feedback", "-m", model, "--list"});
    CHECK(list.status == 0);
    const auto verdict = nlohmann::json::parse(list.out.substr(0, list.out.find('\n')));
    CHECK(verdict["verdict"] == "normal");
    CHECK(verdict["template_id"] == fp[0]["template_id"]);
}

TEST_CASE("feedback verdicts lapse after --until, and --anomaly reverses --normal", "[cli][feedback]") {
    const std::string model = train_baseline("fb-until-model.json");
    const std::string run = logad::test::write_temp("fb-until-run.log", logad::test::example_log(0, 1000) + k_benign_line + "\n");
    // The run's records are from 2026-11-20: a verdict that lapsed on 2026-11-01 does not apply.
    REQUIRE(logad::test::run_logad({"feedback", "-m", model, "--normal", k_benign_line, "--until", "2026-11-01"}).status == 0);
    CHECK(records_about(score(model, run), "Cache warmed").size() == 1);
    REQUIRE(logad::test::run_logad({"feedback", "-m", model, "--normal", k_benign_line}).status == 0);
    CHECK(records_about(score(model, run), "Cache warmed").empty());
    REQUIRE(logad::test::run_logad({"feedback", "-m", model, "--anomaly", k_benign_line}).status == 0);
    const auto forced = records_about(score(model, run), "Cache warmed");
    REQUIRE(!forced.empty());
    CHECK(forced[0]["reasons"][0] == "marked anomalous by feedback");
}

TEST_CASE("feedback refuses what it cannot read, and leaves the model as it was", "[cli][feedback]") {
    const std::string model = train_baseline("fb-bad-model.json");
    std::ifstream in(model);
    const std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(logad::test::run_logad({"feedback", "-m", model, "--normal", "not a line of this format"}).status == 2);
    CHECK(logad::test::run_logad({"feedback", "-m", model, "--normal", "{\"not\": \"a record\"}"}).status == 2);
    CHECK(logad::test::run_logad({"feedback", "-m", model, "--normal", "12", "--until", "soon"}).status == 2);
    CHECK(logad::test::run_logad({"feedback", "-m", model}).status == 2);
    std::ifstream again(model);
    CHECK(std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>()) == before);
    CHECK(before.find("\"feedback\"") == std::string::npos);  // a model without feedback, as older ones
}

TEST_CASE("train --update learns new normal logs, keeping template ids and feedback", "[cli][feedback]") {
    const std::string model = train_baseline("fb-update-model.json");
    const std::string run = logad::test::write_temp("fb-update-run.log", logad::test::example_log(0, 1000) + k_benign_line + "\n" + k_failure_line + "\n");
    const auto failure_before = records_about(score(model, run), "disk failure");
    REQUIRE(failure_before.size() == 1);
    REQUIRE(logad::test::run_logad({"feedback", "-m", model, "--normal", "4242"}).status == 0);

    // The cache warmer is normal now: the baseline plus a stretch where it runs.
    const std::string normal = logad::test::write_temp("fb-update-normal.log", logad::test::example_log(0, 1000) + k_benign_line + "\n");
    const auto update = logad::test::run_logad({"train", "--update", "-m", model, normal});
    CHECK(update.status == 0);
    const std::string after = score(model, run);
    CHECK(records_about(after, "Cache warmed").empty());
    const auto failure_after = records_about(after, "disk failure");
    REQUIRE(failure_after.size() == 1);
    CHECK(failure_after[0]["template_id"] == failure_before[0]["template_id"]);
    const auto list = logad::test::run_logad({"feedback", "-m", model, "--list"});
    CHECK_THAT(list.out, Catch::Contains("\"template_id\":4242"));
    CHECK(logad::test::run_logad({"train", "--update", normal}).status == 2);  // no --model
    CHECK(logad::test::run_logad({"train", normal}).status == 2);              // no --output
}
