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

TEST_CASE("a large crafted forest loads and scores as its trees do, and node arrays of unequal length are damage", "[cli][reliability]") {
    // The trained forest's trees repeated (indices shifted) into a valid model of about 24 MB:
    // loaded through the packed arrays, it scores exactly as the original. (Its memory is
    // measured in-process by test_model's "loading a large forest ..." and by
    // scripts/bench_model_load.py: a spawned child's ru_maxrss starts at its parent's peak.)
    nlohmann::json doc = nlohmann::json::parse(logad::test::read_all(trained("iforest")));
    nlohmann::json& state = doc["pipeline"]["parts"][0]["model"]["detector"]["state"];
    const auto roots = state["roots"].get<std::vector<std::int64_t>>();
    const auto left = state["left"].get<std::vector<std::int64_t>>();
    const auto value = state["value"].get<std::vector<double>>();
    const auto feature = state["feature"].get<std::vector<std::int64_t>>();
    const std::size_t copies = std::max<std::size_t>(1, 24'000'000 / state.dump().size());
    nlohmann::json new_roots = nlohmann::json::array(), new_left = nlohmann::json::array(), new_value = nlohmann::json::array(),
                   new_feature = nlohmann::json::array();
    for (std::size_t c = 0; c < copies; ++c) {
        const auto base = static_cast<std::int64_t>(c * left.size());
        for (auto r : roots) new_roots.push_back(r + base);
        for (auto l : left) new_left.push_back(l >= 0 ? l + base : -1);
        for (auto v : value) new_value.push_back(v);
        for (auto f : feature) new_feature.push_back(f);
    }
    REQUIRE(new_roots.size() <= 100000);  // the trees parameter's range
    state["roots"] = std::move(new_roots);
    state["left"] = std::move(new_left);
    state["value"] = std::move(new_value);
    state["feature"] = std::move(new_feature);
    state["params"]["trees"] = state["roots"].size();
    const std::string text = doc.dump();
    const std::string big = logad::test::write_temp("damaged-big-forest.json", text);
    doc = nullptr;
    const std::string input = logad::test::write_temp("damaged-in.log", logad::test::example_log(300, 20));
    const auto small = run_logad({"score", "-q", "-m", trained("iforest"), input});
    const auto large = run_logad({"score", "-q", "-m", big, input});
    INFO(large.err);
    REQUIRE(large.status == small.status);
    CHECK(large.out == small.out);  // the same trees, repeated: the same scores

    // The node arrays must agree in length: a shorter one is damage, not a read past its end.
    nlohmann::json cut = nlohmann::json::parse(text);
    cut["pipeline"]["parts"][0]["model"]["detector"]["state"]["value"].erase(0);
    const auto r = run_logad({"score", "-q", "-m", logad::test::write_temp("damaged-cut-forest.json", cut.dump()), input});
    CHECK(r.status == 2);
    CHECK(r.err.find("damaged") != std::string::npos);
}
