#pragma once
// Constructors of the concrete detectors, used only by the factory.
#include <logad/model/detector.hpp>

namespace logad::model {

std::unique_ptr<Detector> make_iforest(const nlohmann::json& params);
std::unique_ptr<Detector> make_ocsvm(const nlohmann::json& params);
std::unique_ptr<Detector> make_autoencoder(const nlohmann::json& params);

}  // namespace logad::model
