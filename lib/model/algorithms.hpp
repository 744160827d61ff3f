#pragma once
// Constructors of the concrete detectors, used only by the factory, and what they share.
#include <logad/model/detector.hpp>

namespace logad::model {

std::unique_ptr<Detector> make_iforest(const nlohmann::json& params);
std::unique_ptr<Detector> make_ocsvm(const nlohmann::json& params);
std::unique_ptr<Detector> make_autoencoder(const nlohmann::json& params);

// Per feature, the sorted values the detector compares it with, when a row's score depends on
// nothing but where each of its values lies among them (the axis-parallel isolation forest's
// split thresholds): rows that agree on that score identically (ScoreMemo). Empty otherwise.
std::vector<std::vector<double>> split_points(const Detector& detector);

// Throws UsageError naming the algorithm when x holds NaN or an infinity (`what`: "training" or
// "scored"). An early-exit loop: Eigen's allFinite() computes x - x over the whole matrix first.
void require_finite(const Matrix& x, std::string_view algo, const char* what);

}  // namespace logad::model
