#pragma once
// The template miner a file holds, for `logad templates`: a model trained on logs keeps the
// miner it was trained with, a miner state file (`logad parse --state`) is one.
#include <logad/export.hpp>
#include <logad/mine/template_miner.hpp>

#include <string>

namespace logad::pipeline {

// Throws UsageError for a model trained on a numeric table, FormatError for a damaged one.
LOGAD_API mine::TemplateMiner miner_of_model(const std::string& path);
// A state file, or a model named where a state was expected (both hold a miner); a file that is
// neither is refused as a state file.
LOGAD_API mine::TemplateMiner miner_of_state_or_model(const std::string& path);

}  // namespace logad::pipeline
