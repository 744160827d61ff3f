// train --update's library side: the training history reservoir, the input-fit judgement, and
// PipelineModel::update refitting on the history and the new events together.
#include <logad/pipeline/history.hpp>
#include <logad/pipeline/input_fit.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/scorer.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

std::vector<Event> numbered(std::size_t n, std::uint64_t first_line = 1) {
    std::vector<Event> events(n);
    for (std::size_t i = 0; i < n; ++i) {
        events[i].record.line = first_line + i;
        events[i].record.message = "event " + std::to_string(first_line + i);
        events[i].template_id = 7;
        events[i].template_text = "event <*>";
    }
    return events;
}

struct Count final : Sink<ScoreRecord> {
    std::size_t anomalies = 0;
    void push(ScoreRecord& r) override { anomalies += r.anomaly; }
};

std::size_t anomalies(const PipelineModel& m, std::vector<Event> events) {
    Count out;
    Scorer scorer(m, {}, out);
    for (Event& e : events) scorer.push_event(e);
    scorer.finish();
    return out.anomalies;
}

}  // namespace

TEST_CASE("the training history holds every event of a small input, in order, as one segment", "[pipeline][update]") {
    TrainingHistory h(1);
    h.offer(numbered(1234));
    REQUIRE(h.events() == 1234);
    const auto segments = h.segments();
    REQUIRE(segments.size() == 1);
    CHECK(segments[0].front().record.line == 1);
    CHECK(segments[0].back().record.line == 1234);
    // A second input is another segment: no window spans the two.
    h.offer(numbered(10, 5000));
    REQUIRE(h.segments().size() == 2);
    CHECK(h.segments()[1].front().record.line == 5000);
    CHECK(h.events() == 1244);
}

TEST_CASE("the training history stays bounded and samples every input, old and new", "[pipeline][update]") {
    TrainingHistory h(3);
    const std::size_t block = TrainingHistory::k_block, cap = TrainingHistory::k_capacity;
    for (int input = 0; input < 10; ++input) h.offer(numbered(block * cap, static_cast<std::uint64_t>(input) * block * cap + 1));
    CHECK(h.events() == block * cap);
    std::size_t from_first = 0, from_last = 0;
    std::uint64_t previous = 0;
    for (const auto& s : h.segments())
        for (const Event& e : s) {
            CHECK(e.record.line > previous);  // in input order
            previous = e.record.line;
            from_first += e.record.line <= block * cap;
            from_last += e.record.line > 9 * block * cap;
        }
    CHECK(from_first > 0);  // about a tenth each; all of one input held would mean no sampling
    CHECK(from_last > 0);
    CHECK(from_last < block * cap);

    const TrainingHistory back = TrainingHistory::from_json(h.to_json());
    CHECK(back.to_json() == h.to_json());
}

TEST_CASE("an input fits unless its lines miss the format, its records are huge, or its templates are new", "[pipeline][update]") {
    FitProfile training{.lines = 1000, .unmatched = 20, .records = 980, .max_record_lines = 5, .unseen = 30, .measured = true};
    FitProfile same{.lines = 800, .unmatched = 10, .records = 790, .max_record_lines = 4, .unseen = 3, .measured = true};
    CHECK(misfit(training, same, "auto").empty());

    FitProfile unmatched = same;
    unmatched.unmatched = 700;
    CHECK_THAT(misfit(training, unmatched, "<Date> <Content>"),
               Catch::StartsWith("88% of lines do not match the model's format (<Date> <Content>"));

    FitProfile glued = same;
    glued.max_record_lines = 400;
    CHECK_THAT(misfit(training, glued, "syslog"), Catch::Contains("a record of 400 lines"));

    FitProfile foreign = same;
    foreign.unseen = 700;
    CHECK_THAT(misfit(training, foreign, "auto"), Catch::Contains("89% of records have templates the model never saw"));
    foreign.unseen = 550;  // 70%: the same log can show that many (Loghub's BGL sample does)
    CHECK(misfit(training, foreign, "auto").empty());

    // A format that matches foreign lines by chance puts other text where the time or level goes.
    FitProfile stamped = training;
    stamped.timed = 980;
    stamped.leveled = 950;
    FitProfile unstamped = same;
    unstamped.timed = 790;
    unstamped.leveled = 2;
    CHECK_THAT(misfit(stamped, unstamped, "<Date> <Time> <Level> <Content>"),
               Catch::StartsWith("0% of records have a level (97% in training; format <Date>"));
    unstamped.leveled = 700;
    CHECK(misfit(stamped, unstamped, "<Date> <Time> <Level> <Content>").empty());

    FitProfile tiny{.lines = 5, .unmatched = 5, .records = 1, .max_record_lines = 5, .unseen = 1, .measured = true};
    CHECK(misfit(training, tiny, "auto").empty());  // too little to judge

    // A log of stack traces in training may show many continuation lines later too.
    FitProfile traces = training;
    traces.unmatched = 500;
    FitProfile more_traces = same;
    more_traces.unmatched = 500;
    CHECK(misfit(traces, more_traces, "auto").empty());

    FitProfile merged = training;
    merged.merge(same);
    CHECK(merged.lines == 1800);
    CHECK(merged.max_record_lines == 5);
    CHECK(FitProfile::from_json(merged.to_json()).unseen == 33);
}

TEST_CASE("update refits on the history and the new events: what training knew stays normal", "[pipeline][update]") {
    Traffic day1(11);
    day1.minutes(40);
    TrainSettings t;
    t.granularities = {featurize::Granularity::line, featurize::Granularity::window};
    std::vector<PartSummary> summary;
    const PipelineModel m = PipelineModel::fit({}, t, mine::TemplateMiner{}, day1.out, summary);
    REQUIRE(anomalies(m, day1.out) == 0);

    // A day without payments: refitted on it alone, day 1's payment lines would look new.
    Traffic day2(12);
    day2.t += 24 * 3600 * 1000;
    day2.minutes(40);
    std::erase_if(day2.out, [](const Event& e) { return e.template_id == 20 || e.template_id == 21; });
    summary.clear();
    const PipelineModel updated = PipelineModel::update(m, mine::TemplateMiner::from_json(m.miner->to_json()), day2.out, 1, summary);
    CHECK(updated.history.events() == day1.out.size() + day2.out.size());
    CHECK(updated.space.knows(20));
    CHECK(updated.space.templates.at(30).count > m.space.templates.at(30).count);  // counts of both days
    CHECK(anomalies(updated, day1.out) == 0);
    CHECK(anomalies(updated, day2.out) == 0);

    const PipelineModel loaded = PipelineModel::from_json(updated.to_json(), "updated.json");
    CHECK(loaded.history.events() == updated.history.events());
}
