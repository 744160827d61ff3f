// The feedback loop through the real binary: score, call a false positive normal, score again;
// and `train --update` on new normal logs.
#include "process.hpp"
#include "../support/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
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

namespace {

const std::string k_order_line = "2026-11-20 09:16:40.000 INFO  [worker-2] OrderService: Order 677999 created for user erin in ";

std::vector<nlohmann::json> feedback_list(const std::string& model) {
    const auto r = logad::test::run_logad({"feedback", "-m", model, "--list"});
    REQUIRE(r.status == 0);
    std::vector<nlohmann::json> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

std::size_t param_alerts_about(const std::string& ndjson, const std::string& message_end) {
    std::size_t n = 0;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        const std::string m = j.value("message", "");
        n += j.value("detector", "") == "signal:param_range" && m.size() >= message_end.size() &&
             m.compare(m.size() - message_end.size(), message_end.size(), message_end) == 0;
    }
    return n;
}

}  // namespace

TEST_CASE("feedback: a slow order marked normal widens that slot only, a far slower one alerts, and train --update absorbs it",
          "[cli][feedback]") {
    const std::string model = train_baseline("fb-slot-model.json");
    const std::string slow = logad::test::write_temp("fb-slot-run.log", logad::test::example_log(0, 1000) + k_order_line + "600 ms\n");
    const std::string far = logad::test::write_temp("fb-slot-far.log", logad::test::example_log(0, 1000) + k_order_line + "6000 ms\n");
    const std::string before = score(model, slow);
    REQUIRE(param_alerts_about(before, "in 600 ms") == 1);
    // The operator marks every record about that line normal.
    const auto fp = records_about(before, "Order 677999");
    REQUIRE(!fp.empty());
    for (const auto& r : fp) {
        const auto given = logad::test::run_logad({"feedback", "-m", model, "--normal", r.dump()});
        CHECK(given.status == 0);
    }
    CHECK(records_about(score(model, slow), "Order 677999").empty());
    CHECK(param_alerts_about(score(model, far), "in 6000 ms") == 1);
    const auto verdicts = feedback_list(model);
    const auto slot = std::find_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.value("detector", "") == "signal:param_range"; });
    REQUIRE(slot != verdicts.end());
    CHECK((*slot)["low"] == 600);
    CHECK((*slot)["slot"].get<int>() >= 1);
    CHECK((*slot)["silenced"] == 1);
    CHECK_THAT((*slot)["scope"].get<std::string>(), Catch::Contains("accepted"));

    const std::string normal = logad::test::write_temp("fb-slot-normal.log", logad::test::example_log(0, 1000));
    const auto update = logad::test::run_logad({"train", "--update", "-m", model, normal});
    INFO(update.err);
    REQUIRE(update.status == 0);
    CHECK_THAT(update.err, Catch::Contains("carried into the model and marked absorbed"));
    for (const auto& v : feedback_list(model))
        if (v.value("detector", "") == "signal:param_range") CHECK(v["status"] == "absorbed");
    // The model's own range holds it now; the far slower order still alerts.
    CHECK(param_alerts_about(score(model, slow), "in 600 ms") == 0);
    CHECK(param_alerts_about(score(model, far), "in 6000 ms") == 1);
}

TEST_CASE("feedback: a generic reason is never a verdict key: refused, or narrowed to the record's template", "[cli][feedback]") {
    const std::string model = train_baseline("fb-generic-model.json");
    const std::string keyless = R"({"per":"window","detector":"iforest","score":0.7,"threshold":0.6,"anomaly":true,)"
                                R"("first_line":1,"last_line":90,"reasons":["level debug is rare for this log"]})";
    for (const char* by : {"reason", "auto"}) {
        const auto r = logad::test::run_logad({"feedback", "-m", model, "--by", by, "--normal", keyless});
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("for every template"));
    }
    CHECK(feedback_list(model).empty());

    const std::string run = logad::test::write_temp("fb-generic-run.log", logad::test::example_log(0, 1000) + k_benign_line + "\n");
    const auto fp = records_about(score(model, run), "Cache warmed");
    REQUIRE(!fp.empty());
    const auto r = logad::test::run_logad({"feedback", "-m", model, "--by", "reason", "--normal", fp[0].dump()});
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("--by reason narrowed to template"));
    const auto verdicts = feedback_list(model);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0]["template_id"] == fp[0]["template_id"]);
    CHECK(verdicts[0]["detector"] == fp[0]["detector"]);
}

TEST_CASE("feedback: --list shows scope, note, expiry and use, --remove and --prune-expired take verdicts away", "[cli][feedback]") {
    const std::string model = train_baseline("fb-list-model.json");
    REQUIRE(logad::test::run_logad({"feedback", "-q", "-m", model, "--normal", k_benign_line, "--note", "alice: cache warmer"}).status == 0);
    REQUIRE(logad::test::run_logad({"feedback", "-q", "-m", model, "--normal", "4242", "--until", "2020-01-01"}).status == 0);
    auto verdicts = feedback_list(model);
    REQUIRE(verdicts.size() == 3);
    CHECK(verdicts[0]["id"] == 1);
    CHECK(verdicts[0]["note"] == "alice: cache warmer");
    CHECK(verdicts[0]["status"] == "never used");
    // A new template's line: that signal and the line detector, not the template's windows.
    CHECK(verdicts[0]["detector"] == "signal:new_template");
    CHECK(verdicts[1]["detector"] == "iforest");
    CHECK(verdicts[1]["per"] == "line");
    CHECK(verdicts[2]["status"] == "expired");
    CHECK(verdicts[2]["until"] == "2020-01-01T00:00:00.000Z");
    CHECK_THAT(verdicts[2]["scope"].get<std::string>(), Catch::Contains("template 4242, every detector"));

    // `score` counts what each verdict silenced, in the model file.
    const std::string run = logad::test::write_temp("fb-list-run.log", logad::test::example_log(0, 1000) + k_benign_line + "\n");
    score(model, run);
    score(model, run);
    verdicts = feedback_list(model);
    CHECK(verdicts[0]["silenced"] == 2);
    CHECK(verdicts[0]["status"] == "active");
    CHECK(verdicts[0]["last_silenced"] == "2026-11-20T09:07:42.100Z");

    const auto pruned = logad::test::run_logad({"feedback", "-m", model, "--prune-expired"});
    CHECK(pruned.status == 0);
    CHECK_THAT(pruned.err, Catch::Contains("1 removed, 2 held"));
    CHECK(logad::test::run_logad({"feedback", "-m", model, "--remove", "7"}).status == 2);
    CHECK(logad::test::run_logad({"feedback", "-q", "-m", model, "--remove", "1", "--remove", "2"}).status == 0);
    CHECK(feedback_list(model).empty());
    std::ifstream in(model);
    CHECK(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()).find("\"feedback\"") == std::string::npos);
}

TEST_CASE("a model holding feedback of version 1 still loads, lists and scores", "[cli][feedback]") {
    const std::string model = train_baseline("fb-v1-model.json");
    auto doc = nlohmann::json::parse(logad::test::read_all(model));
    doc["feedback"] = nlohmann::json::parse(logad::test::read_all(std::string(LOGAD_TEST_DATA) + "/feedback_v1.json"))["feedback"];
    std::ofstream(model) << doc.dump();
    const auto verdicts = feedback_list(model);
    REQUIRE(verdicts.size() == 3);
    CHECK(verdicts[0]["template_id"] == 98);
    CHECK(verdicts[1]["status"] == "retired");
    CHECK_THAT(verdicts[1]["scope"].get<std::string>(), Catch::Contains("every template; feedback version 1"));
    const std::string run = logad::test::write_temp("fb-v1-run.log", logad::test::example_log(0, 1000));
    CHECK(logad::test::run_logad({"score", "-q", "-m", model, run}).status == 0);
    REQUIRE(logad::test::run_logad({"feedback", "-q", "-m", model, "--prune-expired"}).status == 0);
    const auto saved = nlohmann::json::parse(logad::test::read_all(model));
    CHECK(saved["feedback"]["version"] == 2);
    CHECK(saved["feedback"]["verdicts"].size() == 2);
}

TEST_CASE("feedback: the issue's repro: a cache ratio a little out of range marked normal, a wild line of that template still alerts",
          "[cli][feedback]") {
    const std::string model = train_baseline("fb-cache-model.json");
    const auto given = logad::test::run_logad(
        {"feedback", "-m", model, "--normal", "2026-11-20 09:17:13.417 DEBUG [worker-2] CacheManager: Cache hit ratio 0.999 after 3913 lookups"});
    REQUIRE(given.status == 0);
    const auto verdicts = feedback_list(model);
    REQUIRE(verdicts.size() == 1);
    // Not the whole template: what flagged the line, the ratio's slot, with a margin.
    CHECK(verdicts[0]["detector"] == "signal:param_range");
    CHECK(verdicts[0]["slot"] == 1);
    const std::string run = logad::test::write_temp(
        "fb-cache-run.log", logad::test::example_log(0, 1000) +
                                "2026-11-20 09:17:14.417 DEBUG [worker-2] CacheManager: Cache hit ratio 0.001 after 99999999 lookups\n");
    CHECK(param_alerts_about(score(model, run), "after 99999999 lookups") == 1);
}

namespace {

// The closed incident `score` reports on the golden case's new log about the retry after 98000 ms,
// which the line isolation forest flags too.
nlohmann::json retry_incident(const std::string& model) {
    const auto r = logad::test::run_logad({"score", "-q", "-m", model, std::string(LOGAD_SOURCE_DIR) + "/test/golden/train-score-logs/new.log"});
    REQUIRE(r.status == 0);
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        const auto detectors = j.value("detectors", std::vector<std::string>{});
        if (j["state"] == "closed" && std::find(detectors.begin(), detectors.end(), "iforest") != detectors.end()) return j;
    }
    FAIL("no closed incident with an iforest record");
    return {};
}

std::string retry_model(const std::string& name, const std::string& threshold) {
    const std::string model = logad::test::temp_path(name);
    std::vector<std::string> args{"train", "-q", "-f", logad::test::k_app_log_format, "--per", "line", "--seed", "7", "-o", model};
    if (!threshold.empty()) args.insert(args.end(), {"--threshold", threshold});
    args.push_back(std::string(LOGAD_SOURCE_DIR) + "/examples/app.log");
    REQUIRE(logad::test::run_logad(args).status == 0);
    return model;
}

std::string state_of(const std::vector<nlohmann::json>& verdicts, const std::string& detector) {
    for (const auto& v : verdicts)
        if (v.value("detector", "") == detector) return v.value("state", "");
    return "none";
}

}  // namespace

TEST_CASE("train --update trains on the lines normal verdicts were given on, and absorbs a detector verdict only when the "
          "refitted model accepts its line",
          "[cli][feedback]") {
    const std::string app_log = std::string(LOGAD_SOURCE_DIR) + "/examples/app.log";
    const std::string retry = "2026-11-20 10:00:02.250 WARN  [worker-3] PaymentClient: Retrying request 1 of 3 to "
                              "https://psp.example.com/v1/charges after ";
    SECTION("the detector's own threshold covers its training lines: one copy is enough") {
        const std::string model = retry_model("fb-teach-model.json", "");
        const auto incident = retry_incident(model);
        CHECK(incident["level"] == "warn");
        REQUIRE(logad::test::run_logad({"feedback", "-q", "-m", model, "--normal", incident.dump()}).status == 0);
        const auto given = feedback_list(model);
        for (const auto& v : given) {
            REQUIRE(v.contains("examples"));
            CHECK_THAT(v["examples"][0]["message"].get<std::string>(), Catch::Contains("after 98000 ms"));
            CHECK(v["examples"][0]["level"] == "warn");
        }
        // The update's logs do not hold the line: the verdicts' example is trained on.
        const auto update = logad::test::run_logad({"train", "--update", "-m", model, app_log});
        INFO(update.err);
        REQUIRE(update.status == 0);
        CHECK_THAT(update.err, Catch::Contains("and 1 lines of 1 normal verdicts"));
        const auto after = feedback_list(model);
        CHECK(state_of(after, "iforest") == "absorbed");
        CHECK(state_of(after, "signal:param_range") == "absorbed");
        // Absorbed verdicts are not applied: the model alone accepts the line, and a far larger
        // delay still alerts.
        const std::string again = logad::test::write_temp("fb-teach-again.log", logad::test::example_log(0, 200) + retry + "98000 ms\n");
        CHECK(records_about(score(model, again), "Retrying request 1 of 3 to https://psp.example.com/v1/charges after 98000").empty());
        const std::string far = logad::test::write_temp("fb-teach-far.log", logad::test::example_log(0, 200) + retry + "9800000 ms\n");
        CHECK(param_alerts_about(score(model, far), "after 9800000 ms") == 1);
    }
    SECTION("a threshold that flags the top 1 percent of training lines: one copy is not enough, the verdict stays") {
        const std::string model = retry_model("fb-teach-top-model.json", "contamination=0.01");
        REQUIRE(logad::test::run_logad({"feedback", "-q", "-m", model, "--normal", retry_incident(model).dump()}).status == 0);
        const auto update = logad::test::run_logad({"train", "--update", "-m", model, app_log});
        INFO(update.err);
        REQUIRE(update.status == 0);
        CHECK_THAT(update.err, Catch::Contains("1 line verdicts stay exceptions"));
        const auto after = feedback_list(model);
        CHECK(state_of(after, "iforest") == "active");
        CHECK(state_of(after, "signal:param_range") == "absorbed");
    }
}
