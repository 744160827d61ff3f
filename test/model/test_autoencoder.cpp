// The autoencoder against expectations that do not come from its own output: data on a linear
// subspace is reconstructed to a small fraction of its (unit, after standardising) variance,
// points pushed off the subspace score far higher, backprop agrees with finite differences.
#include "../oracle.hpp"
#include "../../lib/model/dense.hpp"
#include <logad/util/random.hpp>

#include <logad/error.hpp>
#include <logad/model/detector.hpp>

#include <Eigen/QR>
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <nlohmann/json.hpp>

using logad::model::Matrix;
using logad::model::Vector;

namespace {

constexpr int k_dims = 20;
constexpr int k_latent = 3;

// Rows z A + noise with z ~ N(0, I_3), a fixed 3 x 20 mixing A and N(0, noise^2) noise.
struct LowRank {
    Matrix a;  // 3 x 20
};

LowRank make_subspace(std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> normal;
    LowRank s;
    s.a.resize(k_latent, k_dims);
    for (Eigen::Index i = 0; i < s.a.size(); ++i) s.a.data()[i] = normal(gen);
    return s;
}

Matrix sample(const LowRank& s, int rows, std::uint64_t seed, double noise = 0.01) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> normal;
    Matrix z(rows, k_latent);
    for (Eigen::Index i = 0; i < z.size(); ++i) z.data()[i] = normal(gen);
    Matrix x = z * s.a;
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] += noise * normal(gen);
    return x;
}

// A unit vector orthogonal to the rows of A (the subspace), by Gram-Schmidt on a random vector.
Eigen::RowVectorXd off_subspace_direction(const LowRank& s, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> normal;
    Eigen::RowVectorXd v(k_dims);
    for (auto& e : v) e = normal(gen);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(s.a.transpose());
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(k_dims, k_latent);
    v -= (v * q) * q.transpose();
    return v / v.norm();
}

std::unique_ptr<logad::model::Detector> fitted(const Matrix& x, std::uint64_t seed, nlohmann::json params = {{"bottleneck", 4}}) {
    auto det = logad::model::make_detector("autoencoder", params);
    logad::model::FitOptions o;
    o.seed = seed;
    det->fit(x, o);
    return det;
}

}  // namespace

TEST_CASE("autoencoder learns a 3-dim subspace of R^20 and flags points off it", "[model]") {
    const LowRank s = make_subspace(1);
    const Matrix train = sample(s, 3000, 2);
    auto det = fitted(train, 7);

    // Standardised columns have variance 1, so an error of 0.005 is 0.5% of the variance.
    const Vector train_scores = det->score(train);
    CHECK(train_scores.mean() < 0.005);

    const Matrix inliers = sample(s, 500, 3);
    const Vector in_scores = det->score(inliers);
    CHECK(in_scores.mean() < 0.005);

    // Move fresh on-subspace rows 4 column-standard-deviations (≈ the data's own spread) off it.
    Matrix outliers = sample(s, 200, 4);
    const Eigen::RowVectorXd dir = off_subspace_direction(s, 5);
    const double spread = std::sqrt((train.rowwise() - train.colwise().mean()).array().square().colwise().mean().mean());
    outliers.rowwise() += 4.0 * spread * dir;
    const Vector out_scores = det->score(outliers);
    std::vector<double> sorted(train_scores.data(), train_scores.data() + train_scores.size());
    std::sort(sorted.begin(), sorted.end());
    const double p99 = sorted[sorted.size() * 99 / 100];
    CHECK(out_scores.minCoeff() > 10 * p99);
    CHECK(out_scores.mean() > 50 * in_scores.mean());
}

TEST_CASE("autoencoder with relu also learns the subspace", "[model]") {
    const LowRank s = make_subspace(11);
    const Matrix train = sample(s, 2000, 12);
    auto det = fitted(train, 3, {{"bottleneck", 4}, {"activation", "relu"}});
    CHECK(det->score(train).mean() < 0.05);
}

TEST_CASE("autoencoder is deterministic for a seed", "[model]") {
    const LowRank s = make_subspace(21);
    const Matrix train = sample(s, 800, 22);
    const nlohmann::json p = {{"max_epochs", 15}};
    const Vector a = fitted(train, 5, p)->score(train);
    const Vector b = fitted(train, 5, p)->score(train);
    const Vector c = fitted(train, 6, p)->score(train);
    CHECK(a == b);
    CHECK(a != c);
    // Scoring on threads does not change a score (blocks are fixed, not per thread).
    const Matrix big = sample(s, 9000, 23);
    auto det = fitted(train, 5, p);
    CHECK(det->score(big, 1) == det->score(big, 2));
    // ...nor do the other rows in the call: streaming one row at a time gives the batch's scores.
    const Vector all = det->score(big.topRows(300));
    for (Eigen::Index r = 0; r < 300; r += 13) CHECK(det->score(big.row(r))(0) == all(r));
}

TEST_CASE("autoencoder save then load scores identically", "[model]") {
    const LowRank s = make_subspace(31);
    const Matrix train = sample(s, 600, 32);
    auto det = fitted(train, 9, {{"max_epochs", 10}, {"hidden", 12}});
    const std::string text = det->to_json().dump();
    auto loaded = logad::model::make_detector("autoencoder");
    loaded->from_json(nlohmann::json::parse(text));
    const Matrix probe = sample(s, 300, 33, 0.5);
    CHECK(loaded->n_features() == static_cast<std::size_t>(k_dims));
    CHECK(loaded->score(probe) == det->score(probe));
    CHECK(loaded->feature_contributions(probe) == det->feature_contributions(probe));
    CHECK(loaded->to_json() == det->to_json());

    const auto state = nlohmann::json::parse(text);
    CHECK(state["sizes"] == nlohmann::json({20, 12, 2, 12, 20}));  // bottleneck by default: clamp(20 / 8, 2, 16)
}

TEST_CASE("autoencoder history records early stopping", "[model]") {
    const LowRank s = make_subspace(41);
    const Matrix train = sample(s, 1000, 42);
    auto det = fitted(train, 1, {{"max_epochs", 400}, {"patience", 3}});
    const auto h = det->to_json()["history"];
    const int epochs = h["epochs"];
    const int best = h["best_epoch"];
    CHECK(epochs < 400);                // it stopped early...
    CHECK(epochs == best + 3);          // ...exactly `patience` epochs after its best one
    CHECK(h["validation_loss"].size() == static_cast<std::size_t>(epochs));
    const auto vl = h["validation_loss"].get<std::vector<double>>();
    CHECK(h["best_validation_loss"].get<double>() == *std::min_element(vl.begin(), vl.end()));
}

TEST_CASE("autoencoder default sizes follow the documented formula", "[model]") {
    for (auto [d, h, k] : {std::tuple{3, 8, 2}, std::tuple{20, 10, 2}, std::tuple{50, 25, 6}, std::tuple{300, 64, 16}}) {
        std::mt19937_64 gen(static_cast<std::uint64_t>(d));
        std::uniform_real_distribution<double> u;
        Matrix x(40, d);
        for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = u(gen);
        auto det = fitted(x, 1, {{"max_epochs", 1}});
        CHECK(det->to_json()["sizes"] == nlohmann::json({d, h, k, h, d}));
    }
}

TEST_CASE("autoencoder feature contributions point at the perturbed feature", "[model]") {
    const LowRank s = make_subspace(51);
    const Matrix train = sample(s, 2000, 52);
    auto det = fitted(train, 2);
    Matrix probe = sample(s, 50, 53);
    const double sd7 = std::sqrt((train.col(7).array() - train.col(7).mean()).square().mean());
    probe.col(7).array() += 5 * sd7;
    const Matrix contrib = det->feature_contributions(probe);
    REQUIRE(contrib.rows() == probe.rows());
    REQUIRE(contrib.cols() == probe.cols());
    const Vector scores = det->score(probe);
    for (Eigen::Index r = 0; r < probe.rows(); ++r) {
        Eigen::Index arg = 0;
        contrib.row(r).maxCoeff(&arg);
        CHECK(arg == 7);
        CHECK(contrib.row(r).mean() == Approx(scores(r)).epsilon(1e-9));
    }
}

TEST_CASE("autoencoder handles constant columns", "[model]") {
    const LowRank s = make_subspace(61);
    Matrix train = sample(s, 500, 62);
    train.col(0).setConstant(3.0);
    train.col(1).setZero();
    auto det = fitted(train, 4, {{"max_epochs", 20}});
    const Vector sc = det->score(train);
    CHECK(sc.allFinite());
    Matrix probe = train.topRows(5);
    probe.col(1).setConstant(6.0);  // a count never seen in training: scale 1, error ≈ 36 / 20 at least
    CHECK(det->score(probe).minCoeff() > 1.0);
}

TEST_CASE("autoencoder rejects bad input", "[model]") {
    using logad::FormatError;
    using logad::UsageError;
    auto det = logad::model::make_detector("autoencoder");
    logad::model::FitOptions o;
    CHECK_THROWS_AS(det->fit(Matrix(0, 5), o), UsageError);
    CHECK_THROWS_AS(det->score(Matrix::Zero(3, 5)), UsageError);  // before fit
    Matrix x = sample(make_subspace(71), 100, 72);
    x(10, 3) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(det->fit(x, o), UsageError);
    x(10, 3) = 0;
    det = fitted(x, 1, {{"max_epochs", 2}});
    CHECK_THROWS_AS(det->score(Matrix::Zero(3, 5)), UsageError);
    Matrix bad = x.topRows(2);
    bad(1, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(det->score(bad), UsageError);
    CHECK_THROWS_AS(det->feature_contributions(bad), UsageError);

    CHECK_THROWS_AS(logad::model::make_detector("autoencoder", {{"epochs", 3}}), UsageError);
    CHECK_THROWS_AS(logad::model::make_detector("autoencoder", {{"activation", "sigmoid"}}), UsageError);
    CHECK_THROWS_AS(logad::model::make_detector("autoencoder", {{"batch_size", 0}}), UsageError);

    const auto good = det->to_json();
    auto fresh = logad::model::make_detector("autoencoder");
    auto broken = good;
    broken.erase("scale");
    CHECK_THROWS_AS(fresh->from_json(broken), FormatError);
    broken = good;
    broken["layers"][1]["weights"].erase(0);
    CHECK_THROWS_AS(fresh->from_json(broken), FormatError);
    broken = good;
    broken["sizes"][0] = 7;
    CHECK_THROWS_AS(fresh->from_json(broken), FormatError);
    broken = good;
    broken["layers"][0]["bias"][0] = "x";
    CHECK_THROWS_AS(fresh->from_json(broken), FormatError);
    broken = good;
    broken["history"].erase("epochs");
    CHECK_THROWS_AS(fresh->from_json(broken), FormatError);
    CHECK_NOTHROW(fresh->from_json(good));
}

TEST_CASE("dense network gradients match finite differences", "[model]") {
    using namespace logad::model::dense;
    for (Activation act : {Activation::relu, Activation::tanh}) {
        Network<double> net({5, 4, 2, 4, 5}, {true, false, true, false}, act);
        logad::util::Random rng(3);
        net.init(rng);
        for (auto& l : net.layers()) l.b.setRandom();  // non-zero biases exercise their gradients too
        Mat<double> x = Mat<double>::Random(5, 7);
        // Loss = sum of squared errors / 2, so dL/dout = out - x.
        auto loss = [&](const Network<double>& n) {
            Workspace<double> ws;
            return 0.5 * (n.forward(x, ws) - x).squaredNorm();
        };
        Workspace<double> ws;
        ws.delta = net.forward(x, ws) - x;
        std::vector<Layer<double>> grads;
        net.backward(x, ws, grads);
        const double h = 1e-6;
        for (std::size_t k = 0; k < net.layers().size(); ++k) {
            for (Eigen::Index i = 0; i < net.layers()[k].w.size(); ++i) {
                Network<double> plus = net, minus = net;
                plus.layers()[k].w.data()[i] += h;
                minus.layers()[k].w.data()[i] -= h;
                const double numeric = (loss(plus) - loss(minus)) / (2 * h);
                CHECK(grads[k].w.data()[i] == Approx(numeric).margin(1e-6).epsilon(1e-5));
            }
            for (Eigen::Index i = 0; i < net.layers()[k].b.size(); ++i) {
                Network<double> plus = net, minus = net;
                plus.layers()[k].b(i) += h;
                minus.layers()[k].b(i) -= h;
                const double numeric = (loss(plus) - loss(minus)) / (2 * h);
                CHECK(grads[k].b(i) == Approx(numeric).margin(1e-6).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("dense Adam's first step moves each weight by the learning rate against its gradient", "[model]") {
    // With bias correction, step 1 is lr * g / (|g| + eps) = lr * sign(g) for |g| >> eps.
    using namespace logad::model::dense;
    Network<double> net({3, 2}, {false}, Activation::relu);
    std::vector<Layer<double>> g(1);
    g[0].w.resize(2, 3);
    g[0].w << 0.5, -2, 1e-3, -7, 3, 0.25;
    g[0].b = Col<double>::Zero(2);
    Adam<double> adam(net, {0.01, 0.9, 0.999, 1e-8});
    adam.step(net, g);
    for (Eigen::Index i = 0; i < 6; ++i)
        CHECK(net.layers()[0].w.data()[i] == Approx(-0.01 * (g[0].w.data()[i] > 0 ? 1 : -1)).epsilon(1e-4));
}

TEST_CASE("autoencoder training follows PyTorch's on the same weights, split and batch order", "[model]") {
    // scripts/torch_autoencoder.py rebuilds the network in PyTorch with logad's generator, so
    // autograd and torch.optim.Adam are an independent oracle for the whole training loop.
    const std::string python = "/usr/bin/python3";
    if (std::system((python + " -c 'import torch, numpy' >/dev/null 2>&1").c_str()) != 0) {
        LOGAD_ORACLE_MISSING("/usr/bin/python3 with torch and numpy (python3-torch) is not installed");
        return;
    }
    const LowRank s = make_subspace(81);
    const Matrix x = sample(s, 700, 82, 0.3);
    const auto dir = std::filesystem::temp_directory_path() / fmt::format("logad-ae-{}", ::getpid());
    std::filesystem::create_directories(dir);
    const auto csv = dir / "x.csv";
    {
        std::ofstream out(csv);
        for (int c = 0; c < k_dims; ++c) out << (c ? "," : "") << "c" << c;
        out << "\n";
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            for (int c = 0; c < k_dims; ++c) out << (c ? "," : "") << fmt::format("{:.17g}", x(r, c));
            out << "\n";
        }
    }
    for (const std::string act : {"relu", "tanh"}) {
        const auto json_out = dir / "torch.json";
        const std::string cmd = fmt::format("{} {}/scripts/torch_autoencoder.py --history --input {} --epochs 6 --seed 42 --activation {} > {}",
                                            python, LOGAD_SOURCE_DIR, csv.string(), act, json_out.string());
        REQUIRE(std::system(cmd.c_str()) == 0);
        std::ifstream in(json_out);
        const auto torch = nlohmann::json::parse(in);

        auto det = fitted(x, 42, {{"max_epochs", 6}, {"patience", 1000000}, {"activation", act}});
        const auto h = det->to_json()["history"];
        const auto tl = h["train_loss"].get<std::vector<double>>();
        const auto vl = h["validation_loss"].get<std::vector<double>>();
        const auto ttl = torch["history"]["train_loss"].get<std::vector<double>>();
        const auto tvl = torch["history"]["validation_loss"].get<std::vector<double>>();
        REQUIRE(tl.size() == 6);
        REQUIRE(ttl.size() == 6);
        for (std::size_t e = 0; e < 6; ++e) {
            CHECK(tl[e] == Approx(ttl[e]).epsilon(1e-4));  // float32 rounding differs, the path does not
            CHECK(vl[e] == Approx(tvl[e]).epsilon(1e-4));
        }
        const Vector sc = det->score(x);
        const auto tsc = torch["scores"].get<std::vector<double>>();
        REQUIRE(tsc.size() == static_cast<std::size_t>(x.rows()));
        for (Eigen::Index r = 0; r < x.rows(); ++r) CHECK(sc(r) == Approx(tsc[static_cast<std::size_t>(r)]).epsilon(1e-3).margin(1e-6));
    }
    std::filesystem::remove_all(dir);
}
