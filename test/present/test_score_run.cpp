// Scoring and training logs as people see them: what goes to stdout by the writer chosen, and the
// totals, warnings and summary on stderr.
#include <logad/present/score_run.hpp>
#include <logad/present/train_run.hpp>

#include "../analyze/analyze_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

using namespace logad;

namespace {

// The model of the first 1000 lines of examples/app.log (trained once per binary).
const pipeline::PipelineModel& app_model() {
    static const analyze::TrainResult trained = test::train_on_app_log(1000, "present-train.log");
    return trained.model;
}

std::size_t lines_of(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("score run: incidents on stdout, the totals on stderr, nothing but the records when quiet", "[present][score]") {
    present::LogScoreRequest request;
    request.files = {test::app_log_part("present-score.log", 1000, 1805)};
    std::istringstream none;
    std::ostringstream out, err;
    const present::LogScoreResult result = present::score_logs(app_model(), request, none, out, err);
    CHECK(result.lines == 805);
    CHECK(result.events > 700);  // a record may span lines
    CHECK(result.events <= 805);
    const std::string totals = err.str();
    INFO(totals);
    CHECK(std::regex_search(totals, std::regex("^logad score: 805 lines, " + std::to_string(result.events) + " events, [0-9]+ rows scored, " +
                                               std::to_string(result.anomalies) + " anomalies( \\(.*\\))? in [0-9]+ incidents\n")));
    CHECK(lines_of(totals) >= 1);
    std::istringstream written(out.str());
    std::size_t incidents = 0;
    for (std::string line; std::getline(written, line);) {
        CHECK(line.rfind("{\"per\":\"incident\"", 0) == 0);  // records only with records or all
        ++incidents;
    }
    CHECK(incidents >= 1);

    request.quiet = true;
    request.records = true;
    std::ostringstream quiet_out, quiet_err;
    const present::LogScoreResult again = present::score_logs(app_model(), request, none, quiet_out, quiet_err);
    CHECK(quiet_err.str().empty());
    CHECK(again.anomalies == result.anomalies);
    CHECK(quiet_out.str().find("\"anomaly\":true") != std::string::npos);
}

TEST_CASE("score run: the summary for people follows the totals when asked", "[present][score]") {
    present::LogScoreRequest request;
    request.files = {test::app_log_part("present-summary.log", 1000, 1805)};
    request.summary = true;
    std::istringstream none;
    std::ostringstream out, err;
    const present::LogScoreResult result = present::score_logs(app_model(), request, none, out, err);
    REQUIRE(result.anomalies > 0);
    CHECK_THAT(err.str(), Catch::Contains(" anomaly records: "));
    CHECK_THAT(err.str(), Catch::Contains("  over time: "));
}

TEST_CASE("score run: a log of another kind is warned of, or left to the caller to judge", "[present][score]") {
    present::LogScoreRequest request;
    request.files = {std::string(LOGAD_SOURCE_DIR) + "/examples/formats/openstack.log"};
    request.quiet = true;
    std::istringstream none;
    std::ostringstream out, err;
    const present::LogScoreResult warned = present::score_logs(app_model(), request, none, out, err);
    REQUIRE_FALSE(warned.misfit.empty());
    CHECK_THAT(err.str(), Catch::StartsWith("logad score: warning: " + warned.misfit + "; " + present::misfit_advice(app_model())));
    request.caller_judges_fit = true;
    std::ostringstream out2, err2;
    const present::LogScoreResult judged = present::score_logs(app_model(), request, none, out2, err2);
    CHECK(judged.misfit == warned.misfit);
    CHECK(err2.str().find("warning") == std::string::npos);
}

TEST_CASE("misfit advice names the format to retrain with", "[present][score]") {
    pipeline::PipelineModel m;
    m.parse.format.format = "<Date> it's";
    CHECK(present::misfit_advice(m) == "was the model trained on this kind of log? Score it with a model trained on it: "
                                       "logad train -o NEW.json LOG (with the --format of this log, not '<Date> it'\\''s')");
}

TEST_CASE("train run: the model is saved, the fit summarised, and a small input warned of", "[present][train]") {
    analyze::TrainRequest request;
    request.files = {test::app_log_part("present-small.log", 0, 50)};
    request.parse.format.format = test::k_app_format;
    const std::string output = test::private_temp("present-model.json").string();
    std::istringstream none;
    std::ostringstream err;
    const analyze::TrainResult trained = present::train_logs(request, {output, false, false}, none, err);
    CHECK(std::filesystem::exists(output));
    const std::string text = err.str();
    INFO(text);
    CHECK_THAT(text, Catch::StartsWith("logad train: warning: only " + std::to_string(trained.records) +
                                       " records; below 100 a model is unreliable"));
    CHECK(std::regex_search(text, std::regex("\nlogad train: 50 lines, [0-9]+ records \\([0-9]+ continuation lines, 0 unparsed\\), ")));
    CHECK(std::regex_search(text, std::regex("logad train: signals from [0-9]+ windows of 60000 ms; saved " + output +
                                             " in [0-9]+\\.[0-9]{2} s\n$")));
    CHECK(trained.records > 0);
    CHECK(trained.records <= 50);

    std::ostringstream quiet;
    present::train_logs(request, {output, true, false}, none, quiet);
    CHECK(quiet.str().find("logad train: 50 lines") == std::string::npos);  // quiet: warnings only
    CHECK_THAT(quiet.str(), Catch::StartsWith("logad train: warning: only "));
}
