// analyze::update in memory (train --update without files of its own), analyze::absorb, and
// PipelineModel::load attaching the verdicts a model file holds.
#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/util/versioned_file.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace logad;

namespace {

// A normal verdict on the whole template of `line`, mined by `model`'s miner.
pipeline::Feedback normal_verdict_on(const pipeline::PipelineModel& model, const std::string& message) {
    Event e;
    e.record.message = message;
    REQUIRE(model.miner->match(e));
    pipeline::VerdictEntry v;
    v.verdict = pipeline::Verdict::normal;
    v.template_id = e.template_id;
    pipeline::Feedback feedback;
    feedback.add(std::move(v));
    return feedback;
}

}  // namespace

TEST_CASE("update: new normal logs refit the model in memory, templates, settings and verdicts carry over", "[analyze]") {
    analyze::TrainResult trained = test::train_on_app_log(1000);
    const std::size_t old_templates = trained.model.miner->size();
    analyze::UpdateRequest request;
    request.files = {test::app_log_part("update-new.log", 1000, 1805)};
    request.threads = 1;
    request.model_name = "model.json";
    std::istringstream none;
    analyze::UpdateResult r = analyze::update(trained.model, request, none);
    CHECK(r.lines == 805);
    CHECK(r.records > 790);  // a stack trace is one record
    CHECK(r.model.miner->size() >= old_templates);
    CHECK(r.model.miner->size() == old_templates + r.new_templates);
    CHECK(r.model.train.window_ms == trained.model.train.window_ms);
    CHECK(r.model.fit_profile.records == 1000 + r.records);  // both inputs' figures
    REQUIRE(r.parts.size() == 2);
    CHECK(r.parts[0].rows > trained.parts[0].rows);  // refitted on the history and the new lines

    CHECK(analyze::absorb(r, nullptr) == 0);  // the old model held no verdicts
    const pipeline::Feedback current = normal_verdict_on(r.model, "Order 677814 created for user erin in 20 ms");
    analyze::absorb(r, &current);
    CHECK(r.model.feedback.verdicts.size() == 1);  // verdicts given meanwhile are kept
}

TEST_CASE("update: logs of another kind are refused and nothing is fitted", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto other = test::private_temp("update-other.log");
    {
        std::ofstream out(other);
        for (int i = 0; i < 200; ++i) out << "{\"weird\": " << i << ", \"blob\": \"" << std::string(40, 'x') << "\"}\n";
    }
    analyze::UpdateRequest request;
    request.files = {other.string()};
    request.model_name = "model.json";
    std::istringstream none;
    try {
        analyze::update(trained.model, request, none);
        FAIL("the update was not refused");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("does not fit the model model.json"));
        CHECK_THAT(e.what(), Catch::Contains("the model is unchanged"));
    }
}

TEST_CASE("PipelineModel::load: the model file's verdicts come attached, a table model is refused", "[analyze]") {
    analyze::TrainResult trained = test::train_on_app_log(1000);
    trained.model.feedback = normal_verdict_on(trained.model, "Order 677814 created for user erin in 20 ms");
    const auto path = test::private_temp("load-model.json");
    trained.model.save(path);
    const pipeline::PipelineModel loaded = pipeline::PipelineModel::load(path);
    CHECK(loaded.feedback.verdicts.size() == 1);
    CHECK(loaded.miner->size() == trained.model.miner->size());

    nlohmann::json table;
    table["detector"] = nlohmann::json::object();
    const auto table_path = test::private_temp("load-table.json");
    util::save_versioned(table_path, util::k_model_file, table);
    CHECK_THROWS_AS(pipeline::PipelineModel::load(table_path), UsageError);
}
