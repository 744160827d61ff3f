// analyze::change_verdicts and save_update: verdicts written into a model file under its lock,
// told to an observer as they are given; a bad id changes nothing; a table model is refused.
#include <logad/analyze/model_verdicts.hpp>
#include <logad/error.hpp>
#include <logad/util/versioned_file.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace logad;

namespace {

struct VerdictNotes final : analyze::VerdictChangeObserver {
    std::vector<std::pair<std::uint64_t, std::string>> given;  // id, scope
    void added(std::uint64_t id, pipeline::Verdict verdict, const std::string& scope) override {
        CHECK(verdict == pipeline::Verdict::normal);
        given.emplace_back(id, scope);
    }
};

std::uint32_t verdict_template_of(const pipeline::PipelineModel& model, const std::string& message) {
    Event e;
    e.record.message = message;
    REQUIRE(model.miner->match(e));
    return e.template_id;
}

}  // namespace

TEST_CASE("model verdicts: a template's normal verdict is written into the model file and told", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto path = test::private_temp("verdicts-model.json").string();
    trained.model.save(path);
    const std::uint32_t id = verdict_template_of(trained.model, "Order 677814 created for user erin in 20 ms");

    analyze::VerdictChange change;
    change.normal = {std::to_string(id)};
    change.note = "alice: nightly job";
    change.now_ms = 1714557600000;
    VerdictNotes notes;
    std::istringstream none;
    const analyze::VerdictChangeResult result = analyze::change_verdicts(path, change, none, &notes);
    CHECK(result.added == 1);
    CHECK(result.removed == 0);
    REQUIRE(notes.given.size() == 1);
    CHECK_THAT(notes.given.front().second, Catch::Contains(std::to_string(id)));
    const pipeline::PipelineModel loaded = pipeline::PipelineModel::load(path);
    REQUIRE(loaded.feedback.verdicts.size() == 1);
    CHECK(loaded.feedback.verdicts.front().template_id == id);
    CHECK(loaded.feedback.verdicts.front().note == "alice: nightly job");
    CHECK(loaded.feedback.verdicts.front().added_ms == 1714557600000);

    // An id the model does not hold: refused, and the file keeps its one verdict.
    analyze::VerdictChange bad;
    bad.normal = {std::to_string(id)};
    bad.remove = {999};
    CHECK_THROWS_AS(analyze::change_verdicts(path, bad, none), UsageError);
    CHECK(pipeline::PipelineModel::load(path).feedback.verdicts.size() == 1);

    analyze::VerdictChange remove;
    remove.remove = {notes.given.front().first};
    CHECK(analyze::change_verdicts(path, remove, none).removed == 1);
    CHECK(pipeline::PipelineModel::load(path).feedback.verdicts.empty());
}

TEST_CASE("model verdicts: save_update carries the verdicts the file holds now, and a table model is refused",
          "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto path = test::private_temp("verdicts-update.json").string();
    trained.model.save(path);
    analyze::UpdateRequest request;
    request.files = {test::app_log_part("verdicts-update-new.log", 1000, 1805)};
    request.threads = 1;
    std::istringstream none;
    analyze::UpdateResult update = analyze::update(trained.model, request, none);
    // A verdict given while the update ran (after it read the model).
    analyze::VerdictChange change;
    change.normal = {std::to_string(verdict_template_of(trained.model, "Order 677814 created for user erin in 20 ms"))};
    analyze::change_verdicts(path, change, none);
    const auto output = test::private_temp("verdicts-updated.json").string();
    analyze::save_update(update, path, output);
    CHECK(pipeline::PipelineModel::load(output).feedback.verdicts.size() == 1);

    nlohmann::json table;
    table["detector"] = nlohmann::json::object();
    const auto table_path = test::private_temp("verdicts-table.json").string();
    util::save_versioned(table_path, util::k_model_file, table);
    CHECK_THROWS_WITH(analyze::load_log_model_document(table_path), Catch::Contains("trained on a numeric table"));
}
