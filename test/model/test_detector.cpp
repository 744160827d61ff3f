// The Detector interface as the issue states it, for every algorithm the factory knows: chosen by
// name, higher score = more anomalous, and a fitted detector scored from several threads at once
// (score() is const and thread-safe) gives exactly the serial scores.
#include <logad/error.hpp>
#include <logad/model/detector.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <thread>
#include <vector>

using logad::model::Matrix;
using logad::model::Vector;
using logad::model::detector_names;
using logad::model::make_detector;

namespace {

// 400 Gaussian inliers in 6 dimensions; the test rows: 50 more inliers, then 5 rows 8 sd out.
void planted(Matrix& train, Matrix& test) {
    std::mt19937_64 gen(2024);
    std::normal_distribution<double> n(0.0, 1.0);
    train.resize(400, 6);
    for (Eigen::Index i = 0; i < train.size(); ++i) train.data()[i] = n(gen);
    test.resize(55, 6);
    for (Eigen::Index r = 0; r < test.rows(); ++r)
        for (Eigen::Index c = 0; c < 6; ++c) test(r, c) = r < 50 ? n(gen) : 8.0 + n(gen);
}

}  // namespace

TEST_CASE("the factory knows the three detectors by name and refuses others", "[model]") {
    CHECK(detector_names() == std::vector<std::string>{"iforest", "ocsvm", "autoencoder"});
    for (const auto& name : detector_names()) CHECK(make_detector(name)->algo() == name);
    CHECK_THROWS_AS(make_detector("pca"), logad::UsageError);
}

TEST_CASE("every detector scores planted outliers above every inlier", "[model]") {
    Matrix train, test;
    planted(train, test);
    for (const auto& name : detector_names()) {
        INFO(name);
        auto det = make_detector(name);
        det->fit(train, {7, 1});
        const Vector s = det->score(test);
        CHECK(s.head(50).maxCoeff() < s.tail(5).minCoeff());
    }
}

TEST_CASE("one fitted detector scored from four threads at once gives the serial scores", "[model]") {
    Matrix train, test;
    planted(train, test);
    Matrix big(4000, 6);  // long enough for the scorers' own row blocks and thread pools
    for (Eigen::Index r = 0; r < big.rows(); ++r) big.row(r) = test.row(r % test.rows());
    for (const auto& name : detector_names()) {
        INFO(name);
        auto det = make_detector(name);
        det->fit(train, {7, 1});
        const Vector serial = det->score(big, 1);
        std::vector<Vector> got(4);
        std::vector<std::thread> pool;
        for (int t = 0; t < 4; ++t)
            pool.emplace_back([&, t] { got[static_cast<std::size_t>(t)] = det->score(big, 1 + t % 2); });
        for (auto& th : pool) th.join();
        for (const Vector& g : got) CHECK(g == serial);
    }
}
