#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/scorer.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <algorithm>
#include <cmath>
#include <logad/pipeline/incidents.hpp>

#include "../support/support.hpp"
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

const PipelineModel& trained() {
    static const PipelineModel m = [] {
        Traffic normal(1);
        normal.minutes(60);
        TrainSettings t;
        t.granularities = {featurize::Granularity::line, featurize::Granularity::window};
        std::vector<PartSummary> summary;
        return PipelineModel::fit({}, t, mine::TemplateMiner{}, normal.out, summary);
    }();
    return m;
}

std::vector<ScoreRecord> score_all(const PipelineModel& m, const std::vector<Event>& events) {
    logad::test::Collect<ScoreRecord> out;
    Scorer scorer(m, {false, 1, {}, {}}, out);
    for (Event e : events) scorer.push_event(e);
    scorer.finish();
    return out.records;
}

std::size_t count_template(const std::vector<ScoreRecord>& records, std::uint32_t id) {
    return static_cast<std::size_t>(
        std::count_if(records.begin(), records.end(), [&](const ScoreRecord& r) { return r.template_id == id; }));
}

// A test run: normal traffic, a benign new message (a false positive) and a disk failure.
std::vector<Event> test_run() {
    Traffic run(5);
    run.t += 3 * 3600000;
    run.minutes(5);
    run.emit(98, "Cache warmed in <*> ms", "Cache warmed in 12 ms");
    run.minutes(2);
    run.emit(99, "Disk <*> failed", "Disk sda failed", Level::error);
    run.minutes(2);
    return run.out;
}

PipelineModel with_feedback(Feedback f) {
    PipelineModel m = PipelineModel::from_json(trained().to_json(), "test");
    m.feedback = std::move(f);
    return m;
}

VerdictEntry on_template(std::uint32_t id, Verdict v = Verdict::normal) {
    VerdictEntry e;
    e.verdict = v;
    e.template_id = id;
    return e;
}

}  // namespace

TEST_CASE("feedback: a false positive disappears after a normal verdict while a true anomaly still alerts", "[pipeline]") {
    const auto events = test_run();
    const auto before = score_all(trained(), events);
    REQUIRE(count_template(before, 98) >= 1);
    REQUIRE(count_template(before, 99) >= 1);

    Feedback f;
    f.add(on_template(98));
    const auto after = score_all(with_feedback(f), events);
    CHECK(count_template(after, 98) == 0);
    CHECK(count_template(after, 99) == count_template(before, 99));
    const auto disk = std::find_if(after.begin(), after.end(), [](const ScoreRecord& r) { return r.template_id == 99; });
    REQUIRE(disk != after.end());
    CHECK(disk->message == "Disk sda failed");
    CHECK(disk->anomaly);
}

TEST_CASE("feedback: a verdict with --until lapses at its date, judged by the record's own time", "[pipeline]") {
    const auto events = test_run();
    const auto cache = std::find_if(events.begin(), events.end(), [](const Event& e) { return e.template_id == 98; });
    Feedback lapsed, live;
    VerdictEntry v = on_template(98);
    v.until_ms = cache->record.ts_ms;  // exclusive: not any more at the record's time
    lapsed.add(v);
    v.until_ms = cache->record.ts_ms + 1;
    live.add(v);
    CHECK(count_template(score_all(with_feedback(lapsed), events), 98) >= 1);
    CHECK(count_template(score_all(with_feedback(live), events), 98) == 0);
}

TEST_CASE("feedback: an anomaly verdict alerts on every line of a template - the latest verdict wins", "[pipeline]") {
    Traffic run(7);
    run.t += 3 * 3600000;
    run.minutes(1);  // six heartbeats (template 1), normal in training
    CHECK(count_template(score_all(trained(), run.out), 1) == 0);

    Feedback f;
    VerdictEntry anomaly = on_template(1, Verdict::anomaly);
    anomaly.reason = "`Heartbeat ok` silent for 60 s";  // what it was given on: kept in every alert
    f.add(anomaly);
    const auto forced = score_all(with_feedback(f), run.out);
    CHECK(count_template(forced, 1) == 6);
    for (const auto& r : forced)
        if (r.template_id == 1) {
            CHECK(r.detector == "feedback");
            CHECK(r.reasons.at(0) == "marked anomalous by feedback");
            CHECK(r.reasons.at(1) == "verdict given on: `Heartbeat ok` silent for 60 s");
        }

    f.add(on_template(1, Verdict::normal));
    REQUIRE(f.verdicts.size() == 1);
    CHECK(count_template(score_all(with_feedback(f), run.out), 1) == 0);
}

namespace {

ScoreRecord verdict_record(std::uint32_t id, const char* detector, double value = std::nan(""), int slot = -1, const char* per = "line") {
    ScoreRecord r;
    r.per = per;
    r.detector = detector;
    r.anomaly = true;
    r.start_ms = r.end_ms = 1700000000000;
    r.template_id = id;
    r.slot = slot;
    r.value = value;
    r.reasons = {"something"};
    return r;
}

VerdictEntry scoped_verdict(std::uint32_t id, const char* detector, double value = std::nan(""), double margin = 0, int slot = -1,
                    const char* per = "line") {
    VerdictEntry v;
    v.per = per;
    v.detector = detector;
    v.template_id = id;
    v.slot = slot;
    v.low = v.high = value;
    v.margin = margin;
    return v;
}

using FbDecision = Feedback::Decision;

}  // namespace

TEST_CASE("feedback: a param_range verdict widens only that slot of that template, with a margin", "[pipeline][feedback]") {
    Feedback f;
    f.add(scoped_verdict(20, "signal:param_range", 150, 114, 0));
    CHECK(f.judge(verdict_record(20, "signal:param_range", 150, 0), 0) == FbDecision::suppress);
    CHECK(f.judge(verdict_record(20, "signal:param_range", 250, 0), 0) == FbDecision::suppress);  // within the margin
    CHECK(f.judge(verdict_record(20, "signal:param_range", 1000, 0), 0) == FbDecision::keep);     // far larger: alerts
    CHECK(f.judge(verdict_record(20, "signal:param_range", 20, 0), 0) == FbDecision::keep);       // far smaller too
    CHECK(f.judge(verdict_record(20, "signal:param_range", 150, 1), 0) == FbDecision::keep);      // another slot
    CHECK(f.judge(verdict_record(21, "signal:param_range", 150, 0), 0) == FbDecision::keep);      // another template
    CHECK(f.judge(verdict_record(20, "iforest", 150, 0), 0) == FbDecision::keep);                 // another detector
    CHECK(f.judge(verdict_record(20, "signal:param_range"), 0) == FbDecision::keep);              // no value to compare
    // A second verdict on the slot widens the same one.
    f.add(scoped_verdict(20, "signal:param_range", 400, 114, 0));
    REQUIRE(f.verdicts.size() == 1);
    CHECK(f.verdicts[0].low == 150);
    CHECK(f.verdicts[0].high == 400);
    CHECK(f.judge(verdict_record(20, "signal:param_range", 300, 0), 0) == FbDecision::suppress);
}

TEST_CASE("feedback: a param_range verdict through the scorer: the marked value is quiet, a far larger one alerts", "[pipeline][feedback]") {
    Traffic run(9);
    run.t += 3 * 3600000;
    run.minutes(2);
    auto payment = [&](int ms) {
        Event& e = run.emit(20, "Payment took <*> ms", "Payment took " + std::to_string(ms) + " ms");
        e.params = {{std::to_string(ms), ParamKind::number}};
        e.record.fields.push_back({"component", "Payment", false});
    };
    payment(300);
    run.minutes(1);
    const auto before = score_all(trained(), run.out);
    const auto fp = std::find_if(before.begin(), before.end(), [](const ScoreRecord& r) { return r.detector == "signal:param_range"; });
    REQUIRE(fp != before.end());
    CHECK(fp->slot == 0);
    CHECK(fp->value == 300);
    std::string line;
    append_score_json(line, *fp);
    const auto targets = parse_verdict_targets(line);
    REQUIRE(targets.size() == 1);
    VerdictEntry v;
    v.per = targets[0].scope.per;
    v.detector = targets[0].scope.detector;
    v.template_id = targets[0].scope.template_id;
    v.slot = targets[0].scope.slot;
    v.low = targets[0].scope.low;
    v.high = targets[0].scope.high;
    v.margin = 3 * trained().space.range_of(20, 0)->judged()->width();
    Feedback f;
    f.add(v);
    auto param_alerts = [](const std::vector<ScoreRecord>& records) {
        return std::count_if(records.begin(), records.end(), [](const ScoreRecord& r) { return r.detector == "signal:param_range"; });
    };
    CHECK(param_alerts(score_all(with_feedback(f), run.out)) == 0);
    payment(5000);
    CHECK(param_alerts(score_all(with_feedback(f), run.out)) == 1);
}

TEST_CASE("feedback: burst, silence and key verdicts adjust that signal for that template or key only", "[pipeline][feedback]") {
    Feedback f;
    f.add(scoped_verdict(7, "signal:silence", std::nan(""), 0, -1, "window"));
    f.add(scoped_verdict(8, "signal:burst", 40, 20, -1, "window"));
    VerdictEntry shift = scoped_verdict(0, "signal:level_shift", 0.5, 0.25, -1, "window");
    shift.key = "Payment";
    f.add(shift);
    CHECK(f.judge(verdict_record(7, "signal:silence", std::nan(""), -1, "window"), 0) == FbDecision::suppress);
    CHECK(f.judge(verdict_record(9, "signal:silence", std::nan(""), -1, "window"), 0) == FbDecision::keep);
    CHECK(f.judge(verdict_record(7, "signal:burst", 40, -1, "window"), 0) == FbDecision::keep);
    CHECK(f.judge(verdict_record(8, "signal:burst", 55, -1, "window"), 0) == FbDecision::suppress);
    CHECK(f.judge(verdict_record(8, "signal:burst", 200, -1, "window"), 0) == FbDecision::keep);
    CHECK(f.judge(verdict_record(8, "signal:silence", std::nan(""), -1, "window"), 0) == FbDecision::keep);
    ScoreRecord payment = verdict_record(0, "signal:level_shift", 0.6, -1, "window");
    payment.key = "Payment";
    CHECK(f.judge(payment, 0) == FbDecision::suppress);
    payment.value = 0.9;
    CHECK(f.judge(payment, 0) == FbDecision::keep);
    payment.value = 0.6;
    payment.key = "Orders";
    CHECK(f.judge(payment, 0) == FbDecision::keep);
}

TEST_CASE("feedback: the filter counts what each verdict silenced, in batches, across a reload", "[pipeline][feedback]") {
    Feedback f;
    const auto silence = f.add(scoped_verdict(7, "signal:silence", std::nan(""), 0, -1, "window"));
    const auto burst = f.add(scoped_verdict(8, "signal:burst", 40, 20, -1, "window"));
    logad::test::Collect<ScoreRecord> out;
    FeedbackFilter filter(f, out);
    for (int i = 0; i < 3; ++i) {
        ScoreRecord r = verdict_record(7, "signal:silence", std::nan(""), -1, "window");
        r.end_ms = 1700000000000 + i;
        filter.push(r);
    }
    ScoreRecord kept = verdict_record(8, "signal:burst", 400, -1, "window");
    filter.push(kept);
    CHECK(out.records.size() == 1);
    CHECK(filter.suppressed() == 3);
    auto counts = filter.take_counts();
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].id == silence);
    CHECK(counts[0].silenced == 3);
    CHECK(counts[0].last_ms == 1700000000002);
    CHECK(filter.take_counts().empty());
    ScoreRecord again = verdict_record(8, "signal:burst", 41, -1, "window");
    filter.push(again);
    filter.replace(f);  // verdicts reloaded: the count not yet taken stays
    counts = filter.take_counts();
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].id == burst);
    f.add_counts(counts);
    f.add_counts(counts);
    CHECK(f.verdicts[1].silenced == 2);
    CHECK(f.verdicts[0].silenced == 0);
}

TEST_CASE("feedback: verdicts keep their id when replaced, are removed, pruned when expired, and bounded", "[pipeline][feedback]") {
    Feedback f;
    const auto a = f.add(on_template(1));
    VerdictEntry lapsing = on_template(2);
    lapsing.until_ms = 1000;
    const auto b = f.add(lapsing);
    f.verdicts[0].silenced = 5;
    CHECK(f.add(on_template(1, Verdict::anomaly)) == a);  // the latest wins, with its history
    CHECK(f.verdicts.back().silenced == 5);
    CHECK(f.verdicts.back().verdict == Verdict::anomaly);
    CHECK(f.prune_expired(999) == 0);
    CHECK(f.prune_expired(1000) == 1);
    CHECK_FALSE(f.remove(b));
    CHECK(f.remove(a));
    CHECK(f.empty());
    CHECK(f.add(on_template(3)) == 3);  // ids are never reused
    for (std::uint32_t id = 4; f.verdicts.size() < Feedback::k_max_verdicts; ++id) f.add(on_template(id));
    CHECK_THROWS_AS(f.add(on_template(1)), UsageError);
}

TEST_CASE("feedback round-trips through JSON - missing is empty, newer is refused", "[pipeline][feedback]") {
    Feedback f;
    VerdictEntry a = scoped_verdict(42, "signal:param_range", 150, 30, 2);
    a.until_ms = 1795600800000;
    a.note = "alice: deploy noise";
    a.template_text = "Payment took <*> ms";
    a.reason = "param 3 of ...";
    a.silenced = 7;
    a.last_silenced_ms = 1795600000000;
    f.add(a);
    VerdictEntry b = on_template(43, Verdict::anomaly);
    b.state = VerdictState::absorbed;
    f.add(b);
    const Feedback back = Feedback::from_json(f.to_json(), "m.json");
    REQUIRE(back.verdicts.size() == 2);
    const VerdictEntry& v = back.verdicts[0];
    CHECK(v.id == 1);
    CHECK(v.template_id == 42);
    CHECK(v.detector == "signal:param_range");
    CHECK(v.slot == 2);
    CHECK(v.low == 150);
    CHECK(v.margin == 30);
    CHECK(v.until_ms == 1795600800000);
    CHECK(v.note == "alice: deploy noise");
    CHECK(v.silenced == 7);
    CHECK(v.last_silenced_ms == 1795600000000);
    CHECK(back.verdicts[1].verdict == Verdict::anomaly);
    CHECK(back.verdicts[1].state == VerdictState::absorbed);
    CHECK(back.next_id == 3);
    CHECK(f.to_json()["verdicts"][0]["until"] == "2026-11-25T10:00:00.000Z");
    CHECK(f.to_json()["verdicts"][0]["slot"] == 3);  // 1-based, as score records say it

    CHECK(Feedback::from_document({{"format", "logad-model"}, {"version", 1}, {"pipeline", {}}}, "m.json").empty());
    auto newer = f.to_json();
    newer["version"] = 3;
    CHECK_THROWS_AS(Feedback::from_json(newer, "m.json"), FormatError);
    auto damaged = f.to_json();
    damaged["verdicts"][0].erase("id");
    CHECK_THROWS_AS(Feedback::from_json(damaged, "m.json"), FormatError);
    auto unscoped = f.to_json();
    unscoped["verdicts"][0].erase("template_id");
    CHECK_THROWS_AS(Feedback::from_json(unscoped, "m.json"), FormatError);
}

TEST_CASE("feedback of version 1 still loads: templates whole, reason verdicts retired", "[pipeline][feedback]") {
    const auto doc = nlohmann::json::parse(logad::test::read_all(std::string(LOGAD_TEST_DATA) + "/feedback_v1.json"));
    const Feedback f = Feedback::from_document(doc, "feedback_v1.json");
    REQUIRE(f.verdicts.size() == 3);
    CHECK(f.verdicts[0].id == 1);
    CHECK(f.verdicts[0].template_id == 98);
    CHECK(f.verdicts[0].state == VerdictState::active);
    CHECK(f.verdicts[1].state == VerdictState::retired);
    CHECK(f.verdicts[1].reason == "level debug is rare for this log");
    CHECK(f.verdicts[2].verdict == Verdict::anomaly);
    CHECK(f.next_id == 4);
    // The whole template, as version 1 meant it; the generic reason silences nothing.
    CHECK(f.judge(verdict_record(98, "iforest"), 0) == FbDecision::suppress);
    ScoreRecord debug = verdict_record(5, "iforest");
    debug.reasons = {"level debug is rare for this log"};
    CHECK(f.judge(debug, 0) == FbDecision::keep);
    CHECK(f.judge(verdict_record(99, "signal:new_template"), 0) == FbDecision::force);
    Feedback pruned = f;
    CHECK(pruned.prune_expired(0) == 1);  // the retired one
    CHECK(Feedback::from_json(f.to_json(), "m.json").verdicts.size() == 3);  // saved as version 2
}

TEST_CASE("feedback: records and incidents as `logad score` prints them give the scopes verdicts name", "[pipeline][feedback]") {
    ScoreRecord r = verdict_record(3141592653u, "signal:param_range", 512, 1);
    r.first_line = r.last_line = 1042;
    r.template_text = "Disk <*> took <*> ms";
    r.reasons = {"param 2 of `Disk <*> took <*> ms` = 512, training p99 = 40 (range 1 to 44)"};
    std::string line;
    append_score_json(line, r);
    CHECK_THAT(line, Catch::Contains("\"slot\":2,\"value\":512"));
    const auto t = parse_verdict_targets(line);
    REQUIRE(t.size() == 1);
    CHECK(t[0].scope.template_id == 3141592653u);
    CHECK(t[0].scope.detector == "signal:param_range");
    CHECK(t[0].scope.slot == 1);
    CHECK(t[0].scope.low == 512);
    CHECK(t[0].template_text == "Disk <*> took <*> ms");
    CHECK(t[0].reason == r.reasons[0]);

    // An incident lists its records' scopes, values merged into a range.
    struct Keep : Sink<Incident> {
        std::vector<Incident> got;
        void push(Incident& i) override { got.push_back(i); }
        void finish() override {}
    } keep;
    IncidentTracker tracker({}, keep);
    tracker.push(r);
    r.value = 700;
    tracker.push(r);
    ScoreRecord window = verdict_record(0, "iforest", 3, -1, "window");
    window.feature = "count:7";
    tracker.push(window);
    tracker.finish();
    REQUIRE(!keep.got.empty());
    std::string incident;
    append_incident_json(incident, keep.got.back());
    const auto scopes = parse_verdict_targets(incident);
    REQUIRE(scopes.size() == 2);
    CHECK(scopes[0].scope.low == 512);
    CHECK(scopes[0].scope.high == 700);
    CHECK(scopes[1].scope.feature == "count:7");
    CHECK(scopes[1].scope.template_id == 0);

    CHECK_THROWS_AS(parse_verdict_targets("{\"template_id\": 4}"), UsageError);
    CHECK_THROWS_AS(parse_verdict_targets("not json"), UsageError);
}

TEST_CASE("feedback: train --update carries normal verdicts into the model and marks them absorbed", "[pipeline][feedback]") {
    PipelineModel m = with_feedback({});
    const featurize::Spread before = *m.space.range_of(20, 0)->judged();
    m.feedback.add(scoped_verdict(20, "signal:param_range", before.max * 4, 3 * before.width(), 0));
    m.feedback.add(scoped_verdict(98, "signal:new_template"));
    m.feedback.verdicts.back().template_text = "Cache warmed in <*> ms";
    m.feedback.add(scoped_verdict(1, "signal:silence", std::nan(""), 0, -1, "window"));
    VerdictEntry lapsing = scoped_verdict(10, "signal:silence", std::nan(""), 0, -1, "window");
    lapsing.until_ms = 1800000000000;  // temporary by nature: stays an exception
    m.feedback.add(lapsing);
    m.feedback.add(scoped_verdict(20, "iforest", 1, 0.5));  // a detector's verdict: the refit cannot hold it
    REQUIRE_FALSE(m.space.knows(98));

    CHECK(absorb_verdicts(m) == 3);
    const featurize::Spread& after = *m.space.range_of(20, 0)->judged();
    CHECK(after.p99 == before.max * 4);
    CHECK(after.max == before.max * 4);
    CHECK(after.p01 == before.p01);
    CHECK(m.space.knows(98));
    CHECK(m.baseline.counts.at(1).p01 == 0);
    CHECK(m.feedback.verdicts[0].state == VerdictState::absorbed);
    CHECK(m.feedback.verdicts[3].state == VerdictState::active);
    CHECK(m.feedback.verdicts[4].state == VerdictState::active);
    // Absorbed verdicts are no longer applied: the model holds them now.
    CHECK(m.feedback.judge(verdict_record(98, "signal:new_template"), 0) == FbDecision::keep);
    // The refitted model no longer alerts on the marked value, and still does far beyond it.
    Traffic run(9);
    run.t += 3 * 3600000;
    run.minutes(1);
    auto payment = [&](double ms) {
        Event& e = run.emit(20, "Payment took <*> ms", "Payment took");
        e.params = {{std::to_string(static_cast<int>(ms)), ParamKind::number}};
    };
    payment(before.max * 4);
    payment(before.max * 40);
    const auto records = score_all(m, run.out);
    CHECK(std::count_if(records.begin(), records.end(), [](const ScoreRecord& r) { return r.detector == "signal:param_range"; }) == 1);
    // A later update carries it again (it is absorbed, not forgotten).
    CHECK(absorb_verdicts(m) == 3);
}

TEST_CASE("feedback: dates are UTC unless an offset is given", "[pipeline]") {
    CHECK(parse_date_ms("1970-01-02") == 86400000);
    CHECK(parse_date_ms("2026-11-25T10:00:00Z") == 1795600800000);
    CHECK(parse_date_ms("2026-11-25 11:30+01:30") == 1795600800000);
    CHECK(parse_date_ms("2024-02-29T23:59:59.123Z") == 1709251199123);
    CHECK_THROWS_AS(parse_date_ms("tomorrow"), UsageError);
    CHECK_THROWS_AS(parse_date_ms("2026-13-01"), UsageError);
    CHECK_THROWS_AS(parse_date_ms("2026-11-25T10:00:00Zjunk"), UsageError);
}

TEST_CASE("feedback: the scorer's filter picks the latest covering verdict as judge does, across its index", "[pipeline][feedback]") {
    ScoreRecord r = verdict_record(8, "signal:burst", 50, -1, "window");
    r.key = "Payment";
    VerdictEntry by_key = scoped_verdict(0, "signal:burst", 50, 25, -1, "window");
    by_key.key = "Payment";
    for (const bool key_last : {true, false}) {
        Feedback f;
        if (key_last) f.add(on_template(8, Verdict::anomaly));
        f.add(by_key);
        if (!key_last) f.add(on_template(8, Verdict::anomaly));
        logad::test::Collect<ScoreRecord> out;
        FeedbackFilter filter(f, out);
        ScoreRecord copy = r;
        filter.push(copy);
        CHECK(f.judge(r, 0) == (key_last ? FbDecision::suppress : FbDecision::force));
        CHECK(out.records.size() == (key_last ? 0u : 1u));
    }
}
