#pragma once
// The --state file: a versioned envelope ("logad-miner-state") around the miner's own JSON.
#include <logad/mine/template_miner.hpp>

#include <string>

namespace logad::cli {

// Loads `path` if it names an existing file (its saved options, masks included, win: ids must
// mean the same thing as before); otherwise a fresh miner with `options`.
mine::TemplateMiner load_or_create_miner(const std::string& path, const mine::MinerOptions& options);
void save_miner(const std::string& path, const mine::TemplateMiner& miner);

}  // namespace logad::cli
