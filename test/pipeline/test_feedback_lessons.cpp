// What `train --update` learns from normal verdicts' example lines (feedback_lessons.hpp).
#include <logad/mine/template_miner.hpp>
#include <logad/pipeline/feedback_lessons.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;

namespace {

VerdictEntry line_verdict(std::uint64_t id, const std::string& message, std::uint64_t silenced) {
    VerdictEntry v;
    v.id = id;
    v.per = "line";
    v.detector = "iforest";
    v.template_id = 99;
    v.examples = {{message, Level::warn}};
    v.silenced = silenced;
    return v;
}

std::size_t copies(const std::vector<Event>& events, const std::string& message) {
    return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [&](const Event& e) { return e.record.message == message; }));
}

}  // namespace

TEST_CASE("a normal verdict teaches its line as often as it was seen, less the copies the update holds", "[pipeline][feedback]") {
    const std::string slow = "Retrying request 1 of 3 after 98000 ms";
    mine::TemplateMiner miner;
    Feedback f;
    f.verdicts.push_back(line_verdict(1, slow, 3));  // given once, silenced 3 times since: seen 4 times

    SECTION("none in the update: four copies, with their level") {
        const VerdictLessons l = verdict_lessons(f, miner, {});
        CHECK(copies(l.training, slow) == 4);
        CHECK(l.training.front().record.level == Level::warn);
        CHECK(l.training.front().template_id != 0);
        CHECK(l.taught_verdicts == 1);
        REQUIRE(l.examples.count(1) == 1);
        CHECK(l.examples.at(1).size() == 1);
    }
    SECTION("the update is the log it was given on: its copies count") {
        std::vector<Event> input(3);
        for (Event& e : input) e.record.message = slow;
        CHECK(copies(verdict_lessons(f, miner, input).training, slow) == 1);
        input.resize(5, input.front());
        const VerdictLessons l = verdict_lessons(f, miner, input);
        CHECK(l.training.empty());
        CHECK(l.taught_verdicts == 0);
        CHECK(l.examples.count(1) == 1);  // still checked against the refit
    }
    SECTION("a second verdict on the same line teaches it once") {
        VerdictEntry param = line_verdict(2, slow, 3);
        param.detector = "signal:param_range";
        f.verdicts.push_back(param);
        CHECK(copies(verdict_lessons(f, miner, {}).training, slow) == 4);
    }
    SECTION("a line silenced a million times is taught at most k_max_taught times") {
        f.verdicts[0].silenced = 1000000;
        CHECK(copies(verdict_lessons(f, miner, {}).training, slow) == VerdictLessons::k_max_taught);
    }
    SECTION("verdicts that lapse, anomaly verdicts and window verdicts teach nothing") {
        f.verdicts[0].until_ms = 1;
        VerdictEntry anomaly = line_verdict(2, "disk failure on sdb", 0);
        anomaly.verdict = Verdict::anomaly;
        VerdictEntry window = line_verdict(3, "a window has no line", 0);
        window.per = "window";
        f.verdicts.push_back(anomaly);
        f.verdicts.push_back(window);
        const VerdictLessons l = verdict_lessons(f, miner, {});
        CHECK(l.training.empty());
        CHECK(l.examples.empty());
    }
}

TEST_CASE("a verdict keeps at most three example lines with their level, on disk and when merged", "[pipeline][feedback]") {
    Feedback f;
    VerdictEntry v = line_verdict(0, "a", 0);
    v.examples = {{"a", Level::warn}, {"b", Level::unknown}};
    f.add(v);
    v.examples = {{"c", Level::error}, {"d", Level::info}};
    f.add(v);  // the same scope: the latest wins, and keeps earlier lines while there is room
    REQUIRE(f.verdicts.size() == 1);
    const auto& kept = f.verdicts[0].examples;
    REQUIRE(kept.size() == k_max_verdict_examples);
    CHECK(kept[0].message == "c");
    CHECK(kept[2].message == "a");
    const Feedback back = Feedback::from_json(f.to_json(), "test");
    REQUIRE(back.verdicts.size() == 1);
    CHECK(back.verdicts[0].examples == kept);
}
