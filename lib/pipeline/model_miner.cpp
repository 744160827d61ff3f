#include <logad/pipeline/model_miner.hpp>

#include <logad/error.hpp>
#include <logad/mine/miner_state.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/versioned_file.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::pipeline {

mine::TemplateMiner miner_of_model(const std::string& path) {
    const auto doc = util::load_versioned(path, util::k_model_file);
    if (!PipelineModel::is_pipeline(doc))
        throw UsageError(fmt::format("{} was trained on a numeric table; only a model trained on logs holds templates", path));
    try {
        return mine::TemplateMiner::from_json(doc.at("pipeline").at("miner"));
    } catch (const nlohmann::json::exception&) {
        throw FormatError(fmt::format("{} has no miner in its pipeline; it is damaged, train it again", path));
    }
}

mine::TemplateMiner miner_of_state_or_model(const std::string& path) {
    try {
        return mine::load_or_create_miner(path, {});
    } catch (const FormatError& not_a_state) {
        try {
            return miner_of_model(path);
        } catch (const Error&) {
            throw not_a_state;
        }
    }
}

}  // namespace logad::pipeline
