// Placeholder until the iforest detector lands; replaced by its implementation.
#include "algorithms.hpp"

#include <logad/error.hpp>

namespace logad::model {

std::unique_ptr<Detector> make_iforest(const nlohmann::json&) { throw UsageError("iforest is not implemented yet"); }

}  // namespace logad::model
