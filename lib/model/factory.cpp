#include "algorithms.hpp"
#include "fixed_blocking.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::model {

const std::vector<std::string>& detector_names() {
    static const std::vector<std::string> k_names = {"iforest", "ocsvm", "autoencoder"};
    return k_names;
}

std::unique_ptr<Detector> make_detector(std::string_view algo, const nlohmann::json& params) {
    use_fixed_eigen_blocking();
    if (algo == "iforest") return make_iforest(params);
    if (algo == "ocsvm") return make_ocsvm(params);
    if (algo == "autoencoder") return make_autoencoder(params);
    throw UsageError(fmt::format("unknown algorithm '{}'; choose one of {}", algo, fmt::join(detector_names(), ", ")));
}

std::unique_ptr<Detector> make_detector(std::string_view algo) { return make_detector(algo, nlohmann::json::object()); }

void require_finite(const Matrix& x, std::string_view algo, const char* what) {
    const double* p = x.data();
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (!std::isfinite(p[i])) throw UsageError(fmt::format("{}: the {} matrix holds NaN or infinite values", algo, what));
}

}  // namespace logad::model
