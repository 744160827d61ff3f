// check's judgement without scoring: records sorted into the three checks, the verdict by
// incidents or records, the report text and the warning for a run shorter than a window.
#include <logad/pipeline/check.hpp>

#include <logad/pipeline/pipeline_model.hpp>

#include <catch2/catch.hpp>

using namespace logad;
using namespace logad::pipeline;

namespace {

ScoreRecord check_record(const char* detector, std::uint32_t template_id, std::uint64_t line, double score = 2) {
    ScoreRecord r;
    r.per = "line";
    r.detector = detector;
    r.score = score;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = line;
    r.template_id = template_id;
    r.template_text = "Template " + std::to_string(template_id) + " <*>";
    r.message = "message at line " + std::to_string(line);
    r.reasons = {"reason " + std::to_string(line)};
    return r;
}

CheckFindings collect(std::vector<ScoreRecord> records, std::set<std::uint32_t> ignore = {}) {
    CheckFindings f;
    CheckCollector c(f, std::move(ignore));
    for (auto& r : records) c.push(r);
    return f;
}

}  // namespace

TEST_CASE("check: records sort into new, surging and other, and ignored templates do not count", "[pipeline][check]") {
    ScoreRecord normal = check_record("iforest", 9, 1);
    normal.anomaly = false;
    const CheckFindings f = collect({normal, check_record("signal:new_template", 5, 10), check_record("signal:new_template", 5, 11),
                                     check_record("signal:burst", 6, 20), check_record("iforest", 7, 30, 3),
                                     check_record("iforest", 8, 40)},
                                    {8});
    CHECK(f.fresh.size() == 1);
    CHECK(f.fresh.at(5).records == 2);
    CHECK(f.fresh.at(5).first_line == 10);
    CHECK(f.fresh.at(5).example == "message at line 10");  // a new template's first message
    CHECK(f.surging.at(6).example == "reason 20");          // a burst's first reason
    CHECK(f.other_records == 1);
    CHECK(f.ignored == 1);
    CHECK(f.total() == 4);
    // Template 5 and 6 and 7 each open an incident of their own.
    CHECK(f.incidents == 3);
}

TEST_CASE("check: the verdict counts incidents, or records when only max_anomalies is given", "[pipeline][check]") {
    const CheckFindings f = collect({check_record("signal:new_template", 5, 10), check_record("signal:new_template", 5, 11),
                                     check_record("iforest", 7, 30)});
    REQUIRE(f.incidents == 2);
    CheckSettings s;
    CHECK(check_fails(f, s));  // 0 incidents tolerated by default
    s.max_incidents = 2;
    CHECK_FALSE(check_fails(f, s));
    s.max_anomalies = 2;  // both given: either bound fails the run
    CHECK(check_fails(f, s));
    CheckSettings records_only;
    records_only.max_anomalies = 3;
    CHECK_FALSE(check_fails(f, records_only));
    records_only.max_anomalies = 2;
    CHECK(check_fails(f, records_only));
    CHECK_FALSE(check_fails(CheckFindings{}, CheckSettings{}));
}

TEST_CASE("check: the report names each check and fails only those that found something", "[pipeline][check]") {
    const CheckFindings f = collect({check_record("signal:new_template", 5, 10), check_record("iforest", 7, 30, 4),
                                     check_record("iforest", 8, 31, 9)});
    CheckSettings s;
    s.top = 1;
    const CheckVerdict v = judge_check(f, s);
    CHECK(v.failed);
    CHECK_THAT(v.text, Catch::StartsWith("logad check: FAIL: 3 incidents from 3 anomaly records (0 incidents tolerated)\n"));
    CHECK_THAT(v.text, Catch::Contains("New templates (1):\n  template 5 `Template 5 <*>`: 1 line, first at line 10: message at line 10\n"));
    // The top list is by score over threshold, cut at `top`.
    CHECK_THAT(v.text, Catch::Contains("Top anomalies (1 of 2):\n  line 31 (line iforest): score 9 over threshold 1\n"));
    CHECK_THAT(v.text, Catch::Contains("  ... and 1 more\n"));
    CHECK_THAT(v.text, !Catch::Contains("Surging"));
    REQUIRE(v.cases.size() == 3);
    CHECK(v.cases[0].failed);
    CHECK_FALSE(v.cases[1].failed);
    CHECK(v.cases[2].failed);
    CHECK(v.failures() == 2);
    CHECK(v.cases[2].what == "2 anomalies (0 incidents tolerated in all)");

    s.max_incidents = 5;
    const CheckVerdict pass = judge_check(f, s);
    CHECK_FALSE(pass.failed);
    CHECK(pass.failures() == 0);
    CHECK_THAT(pass.text, Catch::StartsWith("logad check: PASS"));
}

TEST_CASE("check: a run shorter than the model's smallest window is named", "[pipeline][check]") {
    PipelineModel m;
    CHECK(window_coverage_warning(m, 0, 1000).empty());  // no window part, no window baseline
    Part window;
    window.per = featurize::Granularity::window;
    m.parts.push_back(std::move(window));
    m.train.window_ms = 60000;
    CHECK_THAT(window_coverage_warning(m, 0, 30000), Catch::StartsWith("the run spans 30 s of log time, shorter than the model's "
                                                                      "smallest window (60 s)"));
    CHECK(window_coverage_warning(m, 0, 60000).empty());
    CHECK(window_coverage_warning(m, k_no_time, k_no_time).empty());  // no times: nothing to say
}
