// Placeholder until the ocsvm detector lands; replaced by its implementation.
#include "algorithms.hpp"

#include <logad/error.hpp>

namespace logad::model {

std::unique_ptr<Detector> make_ocsvm(const nlohmann::json&) { throw UsageError("ocsvm is not implemented yet"); }

}  // namespace logad::model
