// One window clock, one session key extraction and one table of open sessions per stream: the
// window featurizer and the window tally cut the same windows, the key regex runs once per event
// whatever reads it, and a session closes once for the session detector and the sequence signal.
#include <logad/pipeline/scorer.hpp>
#include <logad/pipeline/time_order.hpp>
#include <logad/pipeline/window_tally.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <algorithm>
#include <utility>

#include "../support/support.hpp"

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

using Span = std::pair<std::int64_t, std::int64_t>;

struct FeaturizerWindows final : Sink<featurize::FeatureRow> {
    std::vector<Span> spans;
    void push(featurize::FeatureRow& r) override { spans.emplace_back(r.start_ms, r.end_ms); }
};

// Both window stages behind one TimeOrder, as the scorer has them.
struct BothWindows final : Sink<Event> {
    featurize::WindowFeaturizer& featurizer;
    WindowTally& tally;
    BothWindows(featurize::WindowFeaturizer& f, WindowTally& t) : featurizer(f), tally(t) {}
    void push(Event& e) override {
        featurizer.push(e);
        tally.add(e);
    }
};

// Traffic with a few seconds of shuffled lines, starting 25 s into a minute.
std::vector<Event> shuffled_traffic() {
    Traffic traffic(3);
    traffic.t += 25000;
    traffic.minutes(12);
    std::vector<Event> events = std::move(traffic.out);
    for (std::size_t i = 0; i + 7 < events.size(); i += 13) std::swap(events[i], events[i + 7]);
    return events;
}

}  // namespace

TEST_CASE("the window featurizer and the window tally cut the same windows from one clock", "[pipeline]") {
    const std::vector<Event> events = shuffled_traffic();
    featurize::FeatureSpaceBuilder builder;
    for (const Event& e : events) builder.add(e);
    const featurize::FeatureSpace space = builder.build();
    for (const std::int64_t slide : {std::int64_t{0}, std::int64_t{20000}}) {
        INFO("slide " << slide);
        FeaturizerWindows rows;
        featurize::WindowFeaturizer featurizer(space, {60000, slide}, rows);
        std::vector<Span> tallied;
        std::vector<bool> complete;
        WindowTally tally(60000, [&](const Tally& t) {
            tallied.emplace_back(t.start_ms, t.end_ms);
            complete.push_back(t.complete);
        });
        BothWindows both(featurizer, tally);
        TimeOrder order({10000}, both);
        for (Event e : events) order.push(e);
        const std::int64_t until = order.advance_to(events.back().record.ts_ms + 120000);
        featurizer.advance_to(until);
        tally.advance_to(until);
        REQUIRE(tallied.size() > 10);
        // The stream started mid-minute: the tally opened that window marked incomplete; the
        // featurizer starts at the first window it saw whole. Every other tally window is one
        // of the featurizer's windows (all of them when tumbling).
        CHECK_FALSE(complete.front());
        CHECK(std::all_of(complete.begin() + 1, complete.end(), [](bool c) { return c; }));
        const std::vector<Span> whole(tallied.begin() + 1, tallied.end());
        if (slide == 0) {
            CHECK(rows.spans == whole);
        } else {
            CHECK(rows.spans.size() > whole.size());
            for (const Span& s : whole) CHECK(std::find(rows.spans.begin(), rows.spans.end(), s) != rows.spans.end());
            for (std::size_t i = 1; i < rows.spans.size(); ++i) CHECK(rows.spans[i].first - rows.spans[i - 1].first == slide);
        }
    }
}

TEST_CASE("the session key runs once per event in training and in scoring", "[pipeline]") {
    Traffic normal(1);
    normal.minutes(60);
    TrainSettings t;
    t.key = "Order (\\d+)";
    t.idle_ms = 30000;
    std::vector<PartSummary> summary;
    const PipelineModel m = PipelineModel::fit({}, t, mine::TemplateMiner{}, normal.out, summary);
    // Both readers of the keys are there: the session detector and the sequence signal.
    REQUIRE(std::any_of(m.parts.begin(), m.parts.end(), [](const Part& p) { return p.per == featurize::Granularity::session; }));
    REQUIRE_FALSE(m.baseline.order.empty());
    REQUIRE(m.session_key() != nullptr);
    CHECK(m.session_key()->extractions() == normal.out.size());

    Traffic test(5);
    test.t += 2 * 3600000;
    test.minutes(10);
    const std::uint64_t before = m.session_key()->extractions();
    logad::test::Collect<ScoreRecord> out;
    Scorer scorer(m, {}, out);
    for (Event e : test.out) scorer.push_event(e);
    scorer.finish();
    CHECK(m.session_key()->extractions() - before == test.out.size());
    CHECK(scorer.stats().sessions > 0);
}

namespace {

struct SessionSpan {
    std::string key;
    std::uint64_t first_line, last_line;
    bool operator==(const SessionSpan&) const = default;
};

struct SessionRows final : Sink<featurize::FeatureRow> {
    std::vector<SessionSpan> spans;
    void push(featurize::FeatureRow& r) override { spans.push_back({r.key, r.first_line, r.last_line}); }
};

}  // namespace

TEST_CASE("one table of open sessions closes each session once for the detector and the sequence signal", "[pipeline]") {
    Traffic normal(1);
    normal.minutes(60);
    TrainSettings t;
    t.key = "Order (\\d+)";
    t.idle_ms = 30000;
    std::vector<PartSummary> summary;
    const PipelineModel m = PipelineModel::fit({}, t, mine::TemplateMiner{}, normal.out, summary);
    REQUIRE_FALSE(m.baseline.order.empty());

    // Test traffic with orders shipped before they were created, which the sequence signal flags.
    Traffic test(5);
    test.t += 2 * 3600000;
    test.minutes(5);
    for (int i = 0; i < 3; ++i) {
        test.emit(12, "Order <*> shipped", "Order 9" + std::to_string(i) + " shipped");
        test.t += 1000;
        test.emit(10, "Order <*> created", "Order 9" + std::to_string(i) + " created");
        test.minutes(1);
    }

    // The stages on their own, each with its own table, as the reference.
    SessionRows rows;
    featurize::SessionFeaturizer featurizer(m.space, *m.session_key(), {t.idle_ms}, rows);
    std::vector<SessionSpan> alerts;
    SignalChecker checker(m.baseline, m.space, m.session_key(), [&](Alert& a) {
        if (a.per == "session") alerts.push_back({a.key, a.first_line, a.last_line});
    });
    for (Event e : test.out) {
        featurizer.push(e);
        checker.add(e);
    }
    featurizer.finish();
    checker.finish();
    REQUIRE(rows.spans.size() > 10);
    REQUIRE(alerts.size() >= 3);

    // The scorer: one table for both, every session row written (all), alerts before rows.
    logad::test::Collect<ScoreRecord> out;
    ScorerOptions options;
    options.all = true;
    Scorer scorer(m, options, out);
    for (Event e : test.out) scorer.push_event(e);
    scorer.finish();
    std::vector<SessionSpan> scored_rows, scored_alerts;
    std::size_t rows_after_alert = 0;
    for (std::size_t i = 0; i < out.records.size(); ++i) {
        const ScoreRecord& r = out.records[i];
        if (r.per != "session") continue;
        const SessionSpan s{r.key, r.first_line, r.last_line};
        if (!is_signal_detector(r.detector)) {
            scored_rows.push_back(s);
            continue;
        }
        scored_alerts.push_back(s);
        // The same session's row follows, from the same closing (alerts before rows).
        rows_after_alert += std::any_of(out.records.begin() + static_cast<std::ptrdiff_t>(i) + 1, out.records.end(),
                                        [&](const ScoreRecord& row) {
                                            return row.per == "session" && !is_signal_detector(row.detector) &&
                                                   SessionSpan{row.key, row.first_line, row.last_line} == s;
                                        });
    }
    CHECK(rows_after_alert == scored_alerts.size());
    CHECK(scored_rows == rows.spans);
    CHECK(scored_alerts == alerts);
}
