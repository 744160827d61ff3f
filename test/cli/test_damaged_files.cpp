// Every size, count and limit read from a model is range-checked on load: a damaged or crafted
// file is refused with a "damaged" message and exit 2, before it can loop, overflow or take
// memory out of proportion to its bytes (issue 18, item 5).
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "../support/support.hpp"

using logad::test::run_logad;

namespace {

const std::string& trained(const std::string& algo) {
    static std::map<std::string, std::string> models;
    auto& m = models[algo];
    if (m.empty()) {
        m = logad::test::temp_path("damaged-base-" + algo + ".json");
        const auto log = logad::test::write_temp("damaged-train.log", logad::test::example_log(0, 300));
        REQUIRE(run_logad({"train", "-q", "--algo", algo, "--per", "line", "-o", m, log}).status == 0);
    }
    return m;
}

// A copy of the trained model with `edit` applied, scored: the result of that score.
template <class Edit>
logad::test::ProcessResult score_edited(const std::string& algo, Edit edit) {
    nlohmann::json doc = nlohmann::json::parse(logad::test::read_all(trained(algo)));
    edit(doc);
    const std::string path = logad::test::write_temp("damaged-" + algo + ".json", doc.dump());
    return run_logad({"score", "-q", "-m", path, logad::test::write_temp("damaged-in.log", logad::test::example_log(300, 20))});
}

}  // namespace

TEST_CASE("a model's line limit outside 64 bytes..1 GiB is refused as damaged", "[cli][reliability]") {
    for (const nlohmann::json& bad : {nlohmann::json(0), nlohmann::json(18446744073709551615ULL), nlohmann::json(3000000000ULL),
                                     nlohmann::json(63)}) {
        INFO(bad.dump());
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = score_edited("iforest", [&](nlohmann::json& d) { d["pipeline"]["parse"]["max_line"] = bad; });
        CHECK(r.status == 2);
        CHECK(r.err.find("damaged") != std::string::npos);
        CHECK(r.err.find("parse.max_line") != std::string::npos);
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5) * logad::test::slowdown());  // 0 used to loop forever
    }
    CHECK(score_edited("iforest", [](nlohmann::json& d) { d["pipeline"]["parse"]["max_line"] = 1000; }).status == 0);
}

TEST_CASE("window, slide and idle times out of range in a model are refused", "[cli][reliability]") {
    auto r = score_edited("iforest", [](nlohmann::json& d) { d["pipeline"]["train"]["window_ms"] = 0; });
    CHECK(r.status == 2);
    CHECK(r.err.find("train.window_ms") != std::string::npos);
    r = score_edited("iforest", [](nlohmann::json& d) { d["pipeline"]["train"]["slide_ms"] = 10000000; });
    CHECK(r.status == 2);
    CHECK(r.err.find("train.slide_ms") != std::string::npos);
    r = score_edited("iforest", [](nlohmann::json& d) { d["pipeline"]["train"]["idle_ms"] = -5; });
    CHECK(r.status == 2);
    CHECK(r.err.find("damaged") != std::string::npos);
}

TEST_CASE("a negative or missing threshold is refused where no score can be negative", "[cli][reliability]") {
    auto part = [](nlohmann::json& d) -> nlohmann::json& { return d["pipeline"]["parts"][0]["model"]; };
    auto r = score_edited("iforest", [&](nlohmann::json& d) { part(d)["threshold"]["value"] = -0.5; });
    CHECK(r.status == 2);
    CHECK(r.err.find("threshold") != std::string::npos);
    CHECK(r.err.find("damaged") != std::string::npos);
    r = score_edited("iforest", [&](nlohmann::json& d) { part(d)["threshold"]["value"] = nullptr; });  // NaN is written as null
    CHECK(r.status == 2);
    CHECK(r.err.find("damaged") != std::string::npos);
}

TEST_CASE("one-class SVM sizes that do not match the values present are damage, not out of memory", "[cli][reliability]") {
    auto state = [](nlohmann::json& d) -> nlohmann::json& { return d["pipeline"]["parts"][0]["model"]["detector"]["state"]; };
    auto r = score_edited("ocsvm", [&](nlohmann::json& d) { state(d)["n_features"] = 4000000000000LL; });
    CHECK(r.status == 2);
    CHECK(r.err.find("damaged") != std::string::npos);
    CHECK(r.err.find("memory") == std::string::npos);
    r = score_edited("ocsvm", [&](nlohmann::json& d) { state(d)["n_features"] = 10000000; });
    CHECK(r.status == 2);
    CHECK(r.err.find("damaged") != std::string::npos);
}

TEST_CASE("a key given twice in one object of a model is refused", "[cli][reliability]") {
    std::string text = logad::test::read_all(trained("iforest"));
    const auto at = text.find("\"max_line\"");
    REQUIRE(at != std::string::npos);
    text.insert(at, "\"max_line\":100,");
    const std::string path = logad::test::write_temp("damaged-dup.json", text);
    const auto r = run_logad({"score", "-q", "-m", path, logad::test::write_temp("damaged-in.log", logad::test::example_log(300, 20))});
    CHECK(r.status == 2);
    CHECK(r.err.find("\"max_line\" twice") != std::string::npos);
}

TEST_CASE("a model path that is not a regular file is refused at once", "[cli][reliability]") {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = run_logad({"score", "-q", "-m", "/dev/zero", logad::test::write_temp("damaged-in.log", logad::test::example_log(300, 20))});
    CHECK(r.status == 2);
    CHECK(r.err.find("not a regular file") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2) * logad::test::slowdown());  // read 2 GiB before
}
