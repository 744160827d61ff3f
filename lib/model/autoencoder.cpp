// Placeholder until the autoencoder detector lands; replaced by its implementation.
#include "algorithms.hpp"

#include <logad/error.hpp>

namespace logad::model {

std::unique_ptr<Detector> make_autoencoder(const nlohmann::json&) { throw UsageError("autoencoder is not implemented yet"); }

}  // namespace logad::model
