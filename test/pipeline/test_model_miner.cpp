// pipeline::miner_of_model and miner_of_state_or_model: the template miner a model or a state
// file holds, for `logad templates`; a table model, a damaged model and other files refused.
#include <logad/error.hpp>
#include <logad/mine/miner_state.hpp>
#include <logad/pipeline/model_miner.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <catch2/catch.hpp>

#include "traffic.hpp"

#include <fstream>

#include "../support/support.hpp"

using namespace logad;
using namespace logad::pipeline;

namespace {

// An hour of traffic mined from its raw messages; a model trained on it saved; the miner
// goes into the model, a copy of it into a state file.
struct Saved {
    std::string model, state;
    std::size_t templates = 0;
};

Saved saved_model_and_state() {
    test::Traffic normal(1);
    normal.minutes(60);
    mine::TemplateMiner miner;
    for (Event& e : normal.out) miner.learn(e);
    Saved saved;
    saved.templates = miner.size();
    saved.state = test::private_temp("miner.state").string();
    mine::save_miner(saved.state, miner);
    std::vector<PartSummary> summary;
    const PipelineModel m = PipelineModel::fit({}, {}, std::move(miner), normal.out, summary);
    saved.model = test::private_temp("model-miner.json").string();
    m.save(saved.model);
    return saved;
}

}  // namespace

TEST_CASE("model miner: a model trained on logs gives back its miner, a state file is one", "[pipeline]") {
    const Saved saved = saved_model_and_state();
    REQUIRE(saved.templates >= 4);
    CHECK(miner_of_model(saved.model).size() == saved.templates);
    CHECK(miner_of_state_or_model(saved.model).size() == saved.templates);
    CHECK(miner_of_state_or_model(saved.state).size() == saved.templates);
    CHECK_THROWS_AS(miner_of_model(saved.state), Error);
}

TEST_CASE("model miner: a file that is neither a model nor a state is refused as a state file", "[pipeline]") {
    const auto path = test::private_temp("neither.json");
    std::ofstream(path) << "{\"hello\": 1}\n";
    CHECK_THROWS_AS(miner_of_state_or_model(path.string()), FormatError);
}
