#include <logad/model/detector.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/util/versioned_file.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <filesystem>
#include <map>

#include "../support/support.hpp"
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

PipelineModel fit(const std::string& algo, std::vector<PartSummary>& summary) {
    Traffic normal(1);
    normal.minutes(120);
    TrainSettings t;
    t.algo = algo;
    t.key = "Order (\\d+)";
    t.idle_ms = 30000;
    return PipelineModel::fit({}, t, mine::TemplateMiner{}, normal.out, summary);
}

std::vector<ScoreRecord> score(const PipelineModel& m, const std::vector<Event>& events, bool all = false) {
    logad::test::Collect<ScoreRecord> out;
    Scorer scorer(m, {all, 1, {}, {}}, out);
    for (Event e : events) scorer.push_event(e);
    scorer.finish();
    return out.records;
}

}  // namespace

TEST_CASE("fit learns line, window and session detectors with thresholds from training", "[pipeline]") {
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    REQUIRE(m.parts.size() == 3);
    REQUIRE(summary.size() == 3);
    CHECK(summary[0].per == featurize::Granularity::line);
    CHECK(summary[0].rows > 7000);  // about 1.08 events per second for two hours
    CHECK(summary[1].per == featurize::Granularity::window);
    CHECK(summary[1].rows >= 119);
    CHECK(summary[2].per == featurize::Granularity::session);
    CHECK(summary[2].rows == 360);  // one order every 20 s for two hours
    for (const Part& p : m.parts) CHECK(p.model.detector->n_features() == m.space.width(p.per));
}

TEST_CASE("traffic like the training data scores quietly - an incident alerts with reasons", "[pipeline]") {
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    Traffic test(5);
    test.t += 3 * 3600000;
    test.minutes(20);
    const auto quiet = score(m, test.out);
    // Thresholds sit at the top training score: a handful of rows may pass it, not a flood.
    CHECK(quiet.size() <= test.out.size() / 200);

    test.emit(99, "Disk <*> failed", "Disk sda failed", Level::error);
    test.minutes(2);
    const auto loud = score(m, test.out);
    const auto hit = std::find_if(loud.begin(), loud.end(), [&](const ScoreRecord& r) {
        return r.detector == "signal:new_template" && r.message == "Disk sda failed";
    });
    REQUIRE(hit != loud.end());
    CHECK(hit->anomaly);
    CHECK(hit->per == "line");
    const auto disk = std::find_if(test.out.begin(), test.out.end(), [](const Event& e) { return e.template_id == 99; });
    CHECK(hit->first_line == disk->record.line);
    CHECK_THAT(hit->reasons.at(0), Catch::Contains("never seen in training"));
    for (const ScoreRecord& r : loud) CHECK_FALSE(r.reasons.empty());
}

TEST_CASE("save and load give identical scores", "[pipeline]") {
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    const auto path = std::filesystem::temp_directory_path() / ("logad-pipeline-" + std::to_string(::getpid()) + ".json");
    m.save(path);
    const auto doc = util::load_versioned(path, {"logad-model", 1, 1});
    REQUIRE(PipelineModel::is_pipeline(doc));
    const PipelineModel back = PipelineModel::from_json(doc["pipeline"], path.string());
    Traffic test(9);
    test.t += 3 * 3600000;
    test.minutes(10);
    const auto a = score(m, test.out, true);
    const auto b = score(back, test.out, true);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].score == b[i].score);
        CHECK(a[i].first_line == b[i].first_line);
    }
    std::filesystem::remove(path);
}

TEST_CASE("a hand-edited model with a float, negative or huge number where an integer belongs is refused", "[pipeline]") {
    // nlohmann's get<int>() on 1e308 is undefined behaviour; a negative seed used to wrap around.
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    const auto path = std::filesystem::temp_directory_path() / ("logad-pipeline-edit-" + std::to_string(::getpid()) + ".json");
    m.save(path);
    const nlohmann::json good = util::load_versioned(path, {"logad-model", 1, 1})["pipeline"];
    REQUIRE_NOTHROW(PipelineModel::from_json(good, "m.json"));
    for (const char* field : {"window_ms", "seed", "max_vocab"}) {
        for (const nlohmann::json& bad : {nlohmann::json(1e308), nlohmann::json(-3), nlohmann::json(2.5)}) {
            if (std::string(field) == "window_ms" && bad == -3) continue;  // a signed field: -3 is an integer in range
            INFO(field << " = " << bad.dump());
            nlohmann::json edited = good;
            edited["train"][field] = bad;
            CHECK_THROWS_AS(PipelineModel::from_json(edited, "m.json"), FormatError);
        }
    }
    std::filesystem::remove(path);
}

TEST_CASE("one line minutes ahead or seconds of shuffled lines open no window or signal record", "[pipeline]") {
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    Traffic test(5);
    test.t += 3 * 3600000 + 30000;
    test.minutes(20);
    // Lines of one moment get distinct times, as threads stamp them (Traffic gives an order's
    // created, paid and shipped the same millisecond).
    for (std::size_t i = 1; i < test.out.size(); ++i)
        test.out[i].record.ts_ms = std::max(test.out[i].record.ts_ms, test.out[i - 1].record.ts_ms + 1);
    const std::vector<Event>& clean = test.out;
    // One line stamped 3 minutes ahead (a host with a wrong clock), 10 minutes in.
    std::vector<Event> skewed = clean;
    const auto middle = std::find_if(skewed.begin(), skewed.end(), [&](const Event& e) { return e.record.ts_ms >= clean.front().record.ts_ms + 600000; });
    Event ahead = *middle;
    ahead.record.ts_ms += 180000;
    skewed.insert(middle, ahead);
    // The lines of 5 seconds around a minute boundary in reverse order (threads writing one file):
    // an order shipped before it was paid, in input order.
    std::vector<Event> shuffled = clean;
    const std::int64_t boundary = (clean.front().record.ts_ms / 60000 + 5) * 60000;
    const auto order_at = std::find_if(shuffled.begin(), shuffled.end(), [&](const Event& e) {
        return e.template_id == 10 && e.record.ts_ms >= boundary - 2000;
    });
    REQUIRE(order_at != shuffled.end());
    const std::int64_t middle_ms = order_at->record.ts_ms;
    auto from = std::find_if(shuffled.begin(), shuffled.end(), [&](const Event& e) { return e.record.ts_ms >= middle_ms - 2500; });
    auto to = std::find_if(from, shuffled.end(), [&](const Event& e) { return e.record.ts_ms >= middle_ms + 2500; });
    REQUIRE(to - from >= 3);
    std::reverse(from, to);

    auto timed_records = [&](const std::vector<Event>& events, std::int64_t tolerance_ms) {
        logad::test::Collect<ScoreRecord> out;
        ScorerOptions options;
        options.order.tolerance_ms = tolerance_ms;
        Scorer scorer(m, options, out);
        for (Event e : events) scorer.push_event(e);
        scorer.finish();
        std::vector<std::string> kept;  // window and session records, and every signal
        for (const ScoreRecord& r : out.records)
            if (r.per != "line") kept.push_back(r.detector + " " + std::to_string(r.first_line) + ".." + std::to_string(r.last_line));
        return kept;
    };
    const auto base = timed_records(clean, 10000);
    for (const auto& r : base) UNSCOPED_INFO("clean: " << r);
    CHECK(timed_records(skewed, 10000).size() == base.size());
    CHECK(timed_records(shuffled, 10000).size() == base.size());
    // What the tolerance prevents: silence in the windows the skewed line jumped over.
    CHECK(timed_records(skewed, 0).size() > base.size() + 2);
    CHECK(timed_records(shuffled, 0).size() > base.size());  // signal:sequence
}

TEST_CASE("each detector's bar is the training quantile plus a margin - a score within it is no anomaly", "[pipeline]") {
    std::vector<PartSummary> summary;
    const PipelineModel m = fit("iforest", summary);
    const Part& line = m.parts.at(0);
    REQUIRE(line.per == featurize::Granularity::line);
    CHECK(line.model.margin > 0);
    CHECK(line.model.margin < 0.05);  // small: the spread of the top training scores
    CHECK(summary.at(0).margin == line.model.margin);
    // Fresh normal traffic: rows between the highest training score and the bar are not anomalies.
    const double highest_training = line.model.threshold - line.model.margin;
    std::size_t within = 0;
    std::vector<ScoreRecord> rows;
    for (unsigned seed = 10; seed < 20; ++seed) {
        Traffic test(seed);
        test.t += 3 * 3600000;
        test.minutes(30);
        for (const ScoreRecord& r : score(m, test.out, true)) rows.push_back(r);
    }
    for (const ScoreRecord& r : rows) {
        if (r.per != "line" || r.detector != "iforest") continue;
        CHECK(r.threshold == line.model.threshold);
        if (r.score > highest_training && r.score <= r.threshold) {
            ++within;
            CHECK_FALSE(r.anomaly);
        }
    }
    // This traffic rarely lands there (scripts/check_normal_seeds.py measures it on a realistic
    // log set: 9 of 20 normal hours passed `check` without the margin).
    UNSCOPED_INFO("line rows above the highest training score but within the margin: " << within);
    // The bar below the margin is the highest training score (the default rule, quantile=1).
    Traffic training(1);
    training.minutes(120);
    double top = 0;
    for (const ScoreRecord& r : score(m, training.out, true))
        if (r.per == "line" && r.detector == "iforest") top = std::max(top, r.score);
    CHECK(top == Approx(highest_training));
}
