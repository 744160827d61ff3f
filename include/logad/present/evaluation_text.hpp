#pragma once
// What `logad eval` prints: precision, recall, F1, ROC-AUC and PR-AUC of score records against
// labels (pipeline/evaluation.hpp) as text for people or as one JSON object, and on `err` a
// warning when no record was read or none matched a labelled item.
#include <logad/export.hpp>
#include <logad/pipeline/evaluation.hpp>

#include <iosfwd>

namespace logad::present {

LOGAD_API void print_evaluation(const pipeline::EvalResult& result, bool json, std::ostream& out, std::ostream& err);

}  // namespace logad::present
