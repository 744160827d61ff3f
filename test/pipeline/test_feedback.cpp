#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/scorer.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <algorithm>

#include "../support/support.hpp"

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

TEST_CASE("a false positive disappears after a normal verdict while a true anomaly still alerts", "[pipeline]") {
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

TEST_CASE("a verdict with --until lapses at its date, judged by the record's own time", "[pipeline]") {
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

TEST_CASE("an anomaly verdict alerts on every line of a template - the latest verdict wins", "[pipeline]") {
    Traffic run(7);
    run.t += 3 * 3600000;
    run.minutes(1);  // six heartbeats (template 1), normal in training
    CHECK(count_template(score_all(trained(), run.out), 1) == 0);

    Feedback f;
    f.add(on_template(1, Verdict::anomaly));
    const auto forced = score_all(with_feedback(f), run.out);
    CHECK(count_template(forced, 1) == 6);
    for (const auto& r : forced)
        if (r.template_id == 1) {
            CHECK(r.detector == "feedback");
            CHECK(r.reasons.at(0) == "marked anomalous by feedback");
        }

    f.add(on_template(1, Verdict::normal));
    REQUIRE(f.verdicts.size() == 1);
    CHECK(count_template(score_all(with_feedback(f), run.out), 1) == 0);
}

TEST_CASE("reason verdicts drop a record only when all its reasons were called normal", "[pipeline]") {
    Feedback f;
    VerdictEntry v;
    v.reason = reason_pattern("template `GET <*> <*>` 412 times in a window (training max 40)");
    f.add(v);
    ScoreRecord r;
    r.per = "window";
    r.anomaly = true;
    r.start_ms = 1700000000000;
    r.reasons = {"template `GET <*> <*>` 977 times in a window (training max 40)"};
    CHECK(f.judge(r, 0) == Feedback::Decision::suppress);
    r.reasons.push_back("component Payment: 80% warnings or errors (training at most 5%)");
    CHECK(f.judge(r, 0) == Feedback::Decision::keep);
}

TEST_CASE("reason_pattern masks numbers, signs and decimals only", "[pipeline]") {
    CHECK(reason_pattern("took 12.5 ms, -3 below 1e-3") == "took <n> ms, <n> below <n>");
    CHECK(reason_pattern("host db-1 x2") == "host db-<n> x<n>");
    CHECK(reason_pattern("no numbers") == "no numbers");
}

TEST_CASE("feedback round-trips through JSON - missing is empty, newer is refused", "[pipeline]") {
    Feedback f;
    VerdictEntry a = on_template(42);
    a.until_ms = 1795600800000;
    a.note = "deploy noise";
    f.add(a);
    VerdictEntry b;
    b.verdict = Verdict::anomaly;
    b.reason = "x <n>";
    f.add(b);
    const Feedback back = Feedback::from_json(f.to_json(), "m.json");
    REQUIRE(back.verdicts.size() == 2);
    CHECK(back.verdicts[0].template_id == 42);
    CHECK(back.verdicts[0].until_ms == 1795600800000);
    CHECK(back.verdicts[0].note == "deploy noise");
    CHECK(back.verdicts[1].verdict == Verdict::anomaly);
    CHECK(back.verdicts[1].reason == "x <n>");
    CHECK(f.to_json()["verdicts"][0]["until"] == "2026-11-25T10:00:00.000Z");

    CHECK(Feedback::from_document({{"format", "logad-model"}, {"version", 1}, {"pipeline", {}}}, "m.json").empty());
    auto newer = f.to_json();
    newer["version"] = 2;
    CHECK_THROWS_AS(Feedback::from_json(newer, "m.json"), FormatError);
    auto damaged = f.to_json();
    damaged["verdicts"][0].erase("template_id");
    CHECK_THROWS_AS(Feedback::from_json(damaged, "m.json"), FormatError);
}

TEST_CASE("dates are UTC unless an offset is given", "[pipeline]") {
    CHECK(parse_date_ms("1970-01-02") == 86400000);
    CHECK(parse_date_ms("2026-11-25T10:00:00Z") == 1795600800000);
    CHECK(parse_date_ms("2026-11-25 11:30+01:30") == 1795600800000);
    CHECK(parse_date_ms("2024-02-29T23:59:59.123Z") == 1709251199123);
    CHECK_THROWS_AS(parse_date_ms("tomorrow"), UsageError);
    CHECK_THROWS_AS(parse_date_ms("2026-13-01"), UsageError);
    CHECK_THROWS_AS(parse_date_ms("2026-11-25T10:00:00Zjunk"), UsageError);
}

TEST_CASE("a score record line as `logad score` prints it gives back its fields", "[pipeline]") {
    ScoreRecord r;
    r.per = "line";
    r.detector = "signal:new_template";
    r.score = 2.5;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = 1042;
    r.start_ms = r.end_ms = 1795600800000;
    r.template_id = 3141592653u;
    r.template_text = "Disk <*> failed";
    r.message = "Disk sda failed";
    r.reasons = {"template `Disk <*> failed` never seen in training"};
    std::string line;
    append_score_json(line, r);
    const ScoreRecord back = parse_score_record(line);
    CHECK(back.template_id == 3141592653u);
    CHECK(back.first_line == 1042);
    CHECK(back.start_ms == 1795600800000);
    CHECK(back.reasons == r.reasons);
    CHECK_THROWS_AS(parse_score_record("{\"template_id\": 4}"), UsageError);
    CHECK_THROWS_AS(parse_score_record("not json"), UsageError);
}
