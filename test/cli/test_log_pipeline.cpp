// train/score on logs through the CLI's and the library's functions: the piped path (the `logad parse` binary's
// events -> score) and the in-process path (raw -> score) must give identical results. What the
// library does with raw logs (train, score, tick, update) is tested in test/analyze.
#include "logad/log_pipeline.hpp"
#include "process.hpp"

#include <logad/util/versioned_file.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace logad;
using namespace logad::cli;

namespace {


std::string join(const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < lines.size(); ++i) s += lines[i] + "\n";
    return s;
}

pipeline::PipelineModel load(const std::string& path) {
    const auto doc = util::load_versioned(path, {"logad-model", 1, 1});
    return pipeline::PipelineModel::from_json(doc.at("pipeline"), path);
}

}  // namespace

TEST_CASE("scores are identical from raw logs and from `logad parse` events", "[cli][pipeline]") {
    const auto lines = logad::test::example_lines();
    const std::string train = logad::test::write_temp("train2.log", join(lines, 0, 1000));
    const std::string test_text = join(lines, 1000, lines.size());
    const std::string model = logad::test::temp_path("model2.json");
    LogTrainRequest tr;
    tr.logs.parse.files = {train};
    tr.logs.parse.format.format = logad::test::k_app_log_format;
    tr.algo = "iforest";
    tr.output = model;
    tr.quiet = true;
    std::istringstream none;
    std::ostringstream err;
    REQUIRE(train_on_logs(tr, none, err) == 0);
    const pipeline::PipelineModel m = load(model);

    present::LogScoreRequest sr;
    sr.all = true;
    sr.quiet = true;
    std::istringstream raw_in(test_text);
    std::ostringstream direct;
    present::score_logs(m, sr, raw_in, direct, err);

    // The piped path: the model's own miner state parses the test logs into events first.
    const std::string state = logad::test::temp_path("model2.state");
    nlohmann::json sdoc;
    sdoc["miner"] = m.miner->to_json();
    util::save_versioned(state, {"logad-miner-state", 1, 1}, sdoc);
    const auto parsed = logad::test::run_logad({"parse", "-q", "--format", logad::test::k_app_log_format, "--state", state}, test_text);
    REQUIRE(parsed.status == 0);
    std::istringstream events_in(parsed.out);
    std::ostringstream piped;
    present::score_logs(m, sr, events_in, piped, err);

    REQUIRE_FALSE(direct.str().empty());
    CHECK(piped.str() == direct.str());
}
