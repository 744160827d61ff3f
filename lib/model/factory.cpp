#include "algorithms.hpp"
#include "fixed_blocking.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::model {

namespace {

constexpr std::pair<DetectorKind, std::string_view> k_detector_names[] = {
    {DetectorKind::iforest, "iforest"},
    {DetectorKind::ocsvm, "ocsvm"},
    {DetectorKind::autoencoder, "autoencoder"},
};

}  // namespace

std::string_view detector_kind_name(DetectorKind kind) noexcept {
    for (const auto& [k, name] : k_detector_names)
        if (k == kind) return name;
    return "unknown";
}

std::optional<DetectorKind> detector_kind_from_name(std::string_view name) noexcept {
    for (const auto& [k, n] : k_detector_names)
        if (n == name) return k;
    return {};
}

const std::vector<std::string>& detector_names() {
    static const std::vector<std::string> k_names = [] {
        std::vector<std::string> out;
        for (const auto& [k, name] : k_detector_names) out.emplace_back(name);
        return out;
    }();
    return k_names;
}

std::unique_ptr<Detector> make_detector(DetectorKind kind, const nlohmann::json& params) {
    use_fixed_eigen_blocking();
    switch (kind) {
        case DetectorKind::iforest: return make_iforest(params);
        case DetectorKind::ocsvm: return make_ocsvm(params);
        case DetectorKind::autoencoder: return make_autoencoder(params);
    }
    throw UsageError(fmt::format("unknown detector kind {}", static_cast<int>(kind)));
}

std::unique_ptr<Detector> make_detector(std::string_view algo, const nlohmann::json& params) {
    if (const auto kind = detector_kind_from_name(algo)) return make_detector(*kind, params);
    throw UsageError(fmt::format("unknown algorithm '{}'; choose one of {}", algo, fmt::join(detector_names(), ", ")));
}

std::unique_ptr<Detector> make_detector(std::string_view algo) { return make_detector(algo, nlohmann::json::object()); }
std::unique_ptr<Detector> make_detector(DetectorKind kind) { return make_detector(kind, nlohmann::json::object()); }

void require_finite(const Matrix& x, std::string_view algo, const char* what) {
    const double* p = x.data();
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (!std::isfinite(p[i])) throw UsageError(fmt::format("{}: the {} matrix holds NaN or infinite values", algo, what));
}

}  // namespace logad::model
