// What the scorer writes without --all is exactly the anomalous part of what it writes with it:
// lines it already knows to be normal skip the batch, and nothing else changes (order, scores,
// reasons, the lines' text).
#include <logad/pipeline/scorer.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <algorithm>

#include "../support/support.hpp"

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

std::vector<ScoreRecord> score_all(const PipelineModel& m, const std::vector<Event>& events, bool all) {
    logad::test::Collect<ScoreRecord> out;
    ScorerOptions options;
    options.all = all;
    Scorer scorer(m, options, out);
    for (Event e : events) scorer.push_event(e);
    scorer.finish();
    return out.records;
}

}  // namespace

TEST_CASE("the anomalies written without all are the anomalous records written with all", "[pipeline]") {
    Traffic normal(1);
    normal.minutes(60);
    TrainSettings t;
    t.granularities = {featurize::Granularity::line};
    std::vector<PartSummary> summary;
    PipelineModel m = PipelineModel::fit({}, t, mine::TemplateMiner{}, normal.out, summary);
    // A bar low enough that ordinary lines cross it too: rows on both sides, interleaved.
    m.parts.at(0).model.threshold = 0.6;

    // Normal traffic with lines far from it every few seconds: slow payments, odd lengths,
    // fatal lines of templates training never saw.
    Traffic test(9);
    test.t += 2 * 3600000;
    for (int minute = 0; minute < 5; ++minute) {
        test.minutes(1);
        for (int i = 0; i < 6; ++i) {
            Event& e = test.emit(20, "Payment took <*> ms", "Payment took 900000 ms", Level::info);
            e.params = {{std::to_string(900000 + i), ParamKind::number}};
            e.record.fields.push_back({"component", "Payment", false});
            test.emit(30, "GET <*> <*>", "GET /" + std::string(300 + 40 * i, 'x'), Level::error);
            Event& odd = test.emit(90 + i, "Disk <*> failed at <*> after <*> retries <*>",
                                   "Disk sda" + std::to_string(i) + " failed " + std::string(500, 'e'), Level::fatal);
            odd.params = {{"sda", ParamKind::word}, {"77", ParamKind::number}, {"5", ParamKind::number}, {"x", ParamKind::word}};
        }
    }
    const std::vector<ScoreRecord> all = score_all(m, test.out, true);
    const std::vector<ScoreRecord> written = score_all(m, test.out, false);
    std::vector<ScoreRecord> anomalous;
    std::copy_if(all.begin(), all.end(), std::back_inserter(anomalous), [](const ScoreRecord& r) { return r.anomaly; });
    const auto detector_rows = std::count_if(written.begin(), written.end(), [](const ScoreRecord& r) {
        return r.detector == "iforest";
    });
    REQUIRE(detector_rows >= 20);
    REQUIRE(static_cast<std::size_t>(detector_rows) * 4 < all.size());  // most rows stay below the bar
    REQUIRE(written.size() == anomalous.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
        INFO("record " << i);
        CHECK(written[i].detector == anomalous[i].detector);
        CHECK(written[i].first_line == anomalous[i].first_line);
        CHECK(written[i].score == anomalous[i].score);
        CHECK(written[i].reasons == anomalous[i].reasons);
        CHECK(written[i].message == anomalous[i].message);
        CHECK(written[i].template_text == anomalous[i].template_text);
    }
}
