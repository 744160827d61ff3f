// analyze::LogScorer: a model applied to a stream of lines through the library API, the live
// wall-clock tick, and the same scores from raw lines as from `logad parse` events.
#include <logad/analyze/log_scorer.hpp>
#include <logad/analyze/mining_stage.hpp>
#include <logad/event_json.hpp>
#include <logad/parse/record_assembler.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace logad;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t count_per(const std::vector<pipeline::ScoreRecord>& records, const std::string& per) {
    return static_cast<std::size_t>(
        std::count_if(records.begin(), records.end(), [&](const auto& r) { return r.per == per; }));
}

}  // namespace

TEST_CASE("log scorer: new logs scored line by line, the unseen error reported with reasons, then an incident",
          "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto lines = test::app_log_lines();
    test::Collect<pipeline::ScoreRecord> records;
    test::Collect<pipeline::Incident> incidents;
    analyze::LogScorer scorer(trained.model, {}, records, &incidents);
    for (std::size_t i = 1000; i < lines.size(); ++i) scorer.push_line(lines[i]);
    scorer.finish();

    CHECK(scorer.parse_stats().lines == lines.size() - 1000);
    CHECK(scorer.stats().events == scorer.parse_stats().records);  // stack traces are one record each
    const auto refused = std::find_if(records.records.begin(), records.records.end(), [](const auto& r) {
        return r.anomaly && r.message.find("connection refused") != std::string::npos;
    });
    REQUIRE(refused != records.records.end());
    CHECK_FALSE(refused->reasons.empty());
    CHECK(refused->first_line >= 200);  // numbered from the first line pushed
    REQUIRE_FALSE(incidents.records.empty());
    CHECK(scorer.incidents_opened() >= 1);
    CHECK(incidents.records.back().state == pipeline::Incident::State::closed);  // finish closes them
    CHECK(pipeline::misfit(trained.model.fit_profile, scorer.fit_seen(), "app").empty());
}

TEST_CASE("log scorer: tick() closes the window a quiet stream left open, before finish()", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto lines = test::app_log_lines();
    test::Collect<pipeline::ScoreRecord> records;
    analyze::ScoreSettings settings;
    settings.scorer.all = true;  // window rows whether anomalous or not
    analyze::LogScorer scorer(trained.model, settings, records);
    for (std::size_t i = 1000; i < 1010; ++i) scorer.push_line(lines[i]);  // a few seconds of one window
    const auto t0 = Clock::now();
    scorer.tick(t0);
    const std::size_t windows_before = count_per(records.records, "window");

    SECTION("the input stays quiet for two window lengths: the window closes") {
        scorer.tick(t0 + std::chrono::minutes(2));
        CHECK(count_per(records.records, "window") > windows_before);
    }
    SECTION("a tick within the window closes nothing") {
        scorer.tick(t0 + std::chrono::milliseconds(10));
        CHECK(count_per(records.records, "window") == windows_before);
    }
}

TEST_CASE("log scorer: raw lines and `logad parse` events give identical records", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto lines = test::app_log_lines();
    analyze::ScoreSettings settings;
    settings.scorer.all = true;

    test::Collect<pipeline::ScoreRecord> direct;
    {
        analyze::LogScorer scorer(trained.model, settings, direct);
        for (std::size_t i = 1000; i < lines.size(); ++i) scorer.push_line(lines[i]);
        scorer.finish();
    }

    // The piped path: the model's own miner parses the lines into events, written and read as NDJSON.
    mine::TemplateMiner miner = mine::TemplateMiner::from_json(trained.model.miner->to_json());
    std::string ndjson;
    struct Writer final : Sink<Event> {
        std::string& out;
        explicit Writer(std::string& o) : out(o) {}
        void push(Event& e) override { append_event_json(out, e); }
    } writer(ndjson);
    analyze::MiningStage mining(miner, writer);
    const auto format = parse::make_format(trained.model.parse.format);
    parse::RecordAssembler assembler(*format, mining, trained.model.parse.multiline);
    for (std::size_t i = 1000; i < lines.size(); ++i) assembler.push_line(lines[i], i - 999);
    assembler.finish();

    test::Collect<pipeline::ScoreRecord> piped;
    analyze::LogScorer scorer(trained.model, settings, piped);
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) {
        Event e;
        REQUIRE(read_event_json(line, e).empty());
        scorer.push_event(e);
    }
    scorer.finish();

    auto as_json = [](const std::vector<pipeline::ScoreRecord>& records) {
        std::string s;
        for (const auto& r : records) pipeline::append_score_json(s, r);
        return s;
    };
    REQUIRE_FALSE(direct.records.empty());
    CHECK(as_json(piped.records) == as_json(direct.records));
}
