#include <logad/mine/miner_state.hpp>

#include <logad/error.hpp>
#include <logad/util/versioned_file.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

namespace logad::mine {

TemplateMiner load_or_create_miner(const std::string& path, const MinerOptions& options) {
    if (path.empty() || !std::filesystem::exists(path)) return TemplateMiner(options);
    const nlohmann::json doc = util::load_versioned(path, util::k_miner_state_file);
    if (!doc.contains("miner")) throw FormatError(path + " has no \"miner\" section; it is damaged, delete it to start over");
    try {
        return TemplateMiner::from_json(doc["miner"]);
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

void save_miner(const std::string& path, const TemplateMiner& miner) {
    nlohmann::json doc;
    doc["miner"] = miner.to_json();
    util::save_versioned(path, util::k_miner_state_file, std::move(doc));
}

}  // namespace logad::mine
