#include "miner_state.hpp"

#include <logad/error.hpp>
#include <logad/util/versioned_file.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {
// version 2: merged templates (an alias table) and evidence groups; version 1 loads without them
}

mine::TemplateMiner load_or_create_miner(const std::string& path, const mine::MinerOptions& options) {
    if (path.empty() || !std::filesystem::exists(path)) return mine::TemplateMiner(options);
    const nlohmann::json doc = util::load_versioned(path, util::k_miner_state_file);
    if (!doc.contains("miner")) throw FormatError(path + " has no \"miner\" section; it is damaged, delete it to start over");
    try {
        return mine::TemplateMiner::from_json(doc["miner"]);
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

void save_miner(const std::string& path, const mine::TemplateMiner& miner) {
    nlohmann::json doc;
    doc["miner"] = miner.to_json();
    util::save_versioned(path, util::k_miner_state_file, std::move(doc));
}

}  // namespace logad::cli
