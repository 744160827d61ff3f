#pragma once
// The unsupervised detectors behind one interface. A detector is fitted on a matrix (one row per
// sample) and then scores rows read-only; higher scores are more anomalous for every algorithm.
// score() is const and thread-safe. Detectors are deterministic for a given seed.
#include <logad/export.hpp>
#include <Eigen/Core>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace logad::model {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;

// The algorithms behind Detector; their names ("iforest"...) are the one table of the wire
// format (model files, --algo, score records).
enum class DetectorKind : std::uint8_t { iforest, ocsvm, autoencoder };
std::string_view detector_kind_name(DetectorKind kind) noexcept;
std::optional<DetectorKind> detector_kind_from_name(std::string_view name) noexcept;

struct FitOptions {
    std::uint64_t seed = 42;
    int threads = 1;  // 0 = all cores
};

class Detector {
public:
    virtual ~Detector() = default;
    virtual DetectorKind kind() const = 0;
    std::string_view algo() const { return detector_kind_name(kind()); }  // "iforest", "ocsvm", "autoencoder"
    // Throws UsageError on data it cannot fit (no rows, NaN/Inf, wrong width after a load).
    virtual void fit(const Matrix& x, const FitOptions& options) = 0;
    virtual Vector score(const Matrix& x, int threads = 1) const = 0;
    virtual std::size_t n_features() const = 0;
    // No row scores below this (0 for distances and path-length scores); a threshold below it
    // in a file can only come from damage.
    virtual double lowest_score() const { return 0.0; }
    // Hyper-parameters and learned state. to_json() then from_json() scores identically.
    virtual nlohmann::json to_json() const = 0;
    virtual void from_json(const nlohmann::json& state) = 0;  // throws FormatError
    // Optional per-feature contribution to each row's score (same shape as x), for explanations.
    // Empty when the algorithm has none.
    virtual Matrix feature_contributions(const Matrix& /*x*/) const { return {}; }
};

// `params` holds algorithm hyper-parameters by name (e.g. {"trees":100}); unknown names are a
// UsageError. Throws UsageError for an unknown algorithm.
LOGAD_API std::unique_ptr<Detector> make_detector(DetectorKind kind, const nlohmann::json& params);
LOGAD_API std::unique_ptr<Detector> make_detector(std::string_view algo, const nlohmann::json& params);
// With default parameters (json_fwd.hpp cannot spell a default argument).
LOGAD_API std::unique_ptr<Detector> make_detector(DetectorKind kind);
LOGAD_API std::unique_ptr<Detector> make_detector(std::string_view algo);
const std::vector<std::string>& detector_names();

}  // namespace logad::model
