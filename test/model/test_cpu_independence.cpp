// Results must not depend on the CPU the program runs on. Eigen chooses its matrix-product
// blocking from the cache sizes it reads from the CPU, and the blocking decides in which order a
// long dot product is summed; a detector must give the same bits whatever the caches.
#include <logad/model/detector.hpp>

#include <Eigen/Core>
#include <catch2/catch.hpp>

#include <random>
#include <nlohmann/json.hpp>

using logad::model::Matrix;
using logad::model::Vector;

namespace {

// Wide enough (600 columns) that a product's inner dimension exceeds any L1 blocking size.
Matrix wide_rows(std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    Matrix x(120, 600);
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index c = 0; c < x.cols(); ++c) x(r, c) = static_cast<double>(gen() % 1000) / 97.0 + static_cast<double>(c % 7);
    return x;
}

Vector scores_with_caches(const std::string& algo, const nlohmann::json& params, std::ptrdiff_t l1, std::ptrdiff_t l2, std::ptrdiff_t l3) {
    Eigen::setCpuCacheSizes(l1, l2, l3);
    const Matrix train = wide_rows(1);
    auto det = logad::model::make_detector(algo, params);
    det->fit(train, {5, 1});
    return det->score(wide_rows(2));
}

}  // namespace

TEST_CASE("detectors give the same bits whatever the CPU's cache sizes", "[model]") {
    const std::vector<std::pair<std::string, nlohmann::json>> cases = {
        {"autoencoder", {{"max_epochs", 3}}}, {"ocsvm", nlohmann::json::object()}, {"iforest", nlohmann::json::object()}};
    for (const auto& [algo, params] : cases) {
        INFO(algo);
        const Vector small = scores_with_caches(algo, params, 16 * 1024, 256 * 1024, 2 * 1024 * 1024);
        const Vector large = scores_with_caches(algo, params, 64 * 1024, 2 * 1024 * 1024, 64 * 1024 * 1024);
        CHECK(small == large);
    }
}
