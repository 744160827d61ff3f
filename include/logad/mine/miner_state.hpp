#pragma once
// The miner state file (`logad parse --state`, `train --state`): a versioned envelope
// ("logad-miner-state", util/versioned_file.hpp) around the miner's own JSON under "miner".
// Version 2 holds merged templates (an alias table) and evidence groups; version 1 loads without
// them. A damaged file, or one of a newer logad, is refused with a FormatError saying so.
#include <logad/export.hpp>
#include <logad/mine/template_miner.hpp>

#include <string>

namespace logad::mine {

// Loads `path` if it names an existing file (its saved options, masks included, win: ids must
// mean the same thing as before); otherwise a fresh miner with `options`.
LOGAD_API TemplateMiner load_or_create_miner(const std::string& path, const MinerOptions& options);
// Writes the state atomically (a temporary file renamed over `path`).
LOGAD_API void save_miner(const std::string& path, const TemplateMiner& miner);

}  // namespace logad::mine
