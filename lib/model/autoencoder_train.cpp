// The autoencoder's parameters, training loop and batched reconstruction (see autoencoder.hpp).
#include "autoencoder.hpp"
#include <logad/util/random.hpp>

#include <logad/error.hpp>
#include <logad/util/parallel.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <nlohmann/json.hpp>

namespace logad::model::autoencoder {
namespace {

using MatF = dense::Mat<float>;

constexpr Eigen::Index k_score_block = 2048;     // rows per scoring block; fixed so scores do not depend on threads
constexpr double k_min_improvement = 1e-4;       // relative, for early stopping

// Columns of the result = standardised rows [begin, end) of x.
void standardise(const Model& m, const Matrix& x, Eigen::Index begin, Eigen::Index end, MatF& out) {
    const Eigen::Index d = x.cols();
    out.resize(d, end - begin);
    for (Eigen::Index r = begin; r < end; ++r)
        for (Eigen::Index c = 0; c < d; ++c)
            out(c, r - begin) = static_cast<float>((x(r, c) - m.mean[static_cast<std::size_t>(c)]) / m.scale[static_cast<std::size_t>(c)]);
}

// Sum of squared errors of reconstructing the columns of z, in blocks, accumulated in double.
double total_squared_error(const dense::Network<float>& net, const MatF& z) {
    dense::Workspace<float> ws;
    double total = 0;
    for (Eigen::Index b = 0; b < z.cols(); b += k_score_block) {
        const Eigen::Index n = std::min(k_score_block, z.cols() - b);
        const auto& out = net.forward(z.middleCols(b, n), ws);
        total += static_cast<double>((out - z.middleCols(b, n)).squaredNorm());
    }
    return total;
}

void gather(const MatF& from, const std::vector<std::uint32_t>& idx, std::size_t begin, std::size_t n, MatF& to) {
    const Eigen::Index d = from.rows();
    to.resize(d, static_cast<Eigen::Index>(n));
    for (std::size_t j = 0; j < n; ++j)
        std::memcpy(to.col(static_cast<Eigen::Index>(j)).data(), from.col(idx[begin + j]).data(), sizeof(float) * static_cast<std::size_t>(d));
}

}  // namespace

int default_hidden(int d) { return std::clamp(d / 2, 8, 64); }
int default_bottleneck(int d) { return std::clamp(d / 8, 2, 16); }

Params parse_params(const nlohmann::json& params) {
    if (!params.is_object()) throw UsageError("autoencoder parameters must be a JSON object");
    Params p;
    auto integer = [](const std::string& key, const nlohmann::json& v, long long lo, long long hi) {
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            throw UsageError(fmt::format("autoencoder parameter {} must be an integer in [{}, {}]", key, lo, hi));
        return static_cast<int>(v.get<long long>());
    };
    auto real = [](const std::string& key, const nlohmann::json& v, double lo, double hi) {
        if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
            throw UsageError(fmt::format("autoencoder parameter {} must be a number in [{}, {}]", key, lo, hi));
        return v.get<double>();
    };
    for (const auto& [key, v] : params.items()) {
        if (key == "hidden") p.hidden = integer(key, v, 0, 1 << 16);
        else if (key == "bottleneck") p.bottleneck = integer(key, v, 0, 1 << 16);
        else if (key == "activation") {
            if (!v.is_string()) throw UsageError("autoencoder parameter activation must be \"relu\" or \"tanh\"");
            p.activation = dense::parse_activation(v.get<std::string>());
        } else if (key == "batch_size") p.batch_size = integer(key, v, 1, 1 << 20);
        else if (key == "max_epochs") p.max_epochs = integer(key, v, 1, 1000000);
        else if (key == "patience") p.patience = integer(key, v, 1, 1000000);
        else if (key == "learning_rate") {
            p.learning_rate = real(key, v, 0, 10);
            if (p.learning_rate <= 0) throw UsageError("autoencoder parameter learning_rate must be above 0");
        } else if (key == "validation_fraction") {
            p.validation_fraction = real(key, v, 0, 0.9);
        } else {
            throw UsageError(fmt::format(
                "unknown autoencoder parameter '{}'; known: hidden, bottleneck, activation, batch_size, max_epochs, "
                "patience, learning_rate, validation_fraction",
                key));
        }
    }
    return p;
}

nlohmann::json params_json(const Params& p) {
    return {{"hidden", p.hidden},
            {"bottleneck", p.bottleneck},
            {"activation", std::string(dense::activation_name(p.activation))},
            {"batch_size", p.batch_size},
            {"max_epochs", p.max_epochs},
            {"patience", p.patience},
            {"learning_rate", p.learning_rate},
            {"validation_fraction", p.validation_fraction}};
}

Model train(const Matrix& x, const Params& p, std::uint64_t seed, const EpochCallback& on_epoch) {
    const Eigen::Index n = x.rows();
    const int d = static_cast<int>(x.cols());
    Model m;
    m.mean.resize(static_cast<std::size_t>(d));
    m.scale.resize(static_cast<std::size_t>(d));
    for (int c = 0; c < d; ++c) {
        const double mean = x.col(c).mean();
        const double sd = std::sqrt((x.col(c).array() - mean).square().mean());
        m.mean[static_cast<std::size_t>(c)] = mean;
        m.scale[static_cast<std::size_t>(c)] = sd > 1e-12 * (1 + std::abs(mean)) ? sd : 1.0;
    }

    const int h = p.hidden > 0 ? p.hidden : default_hidden(d);
    const int k = p.bottleneck > 0 ? p.bottleneck : default_bottleneck(d);
    m.net = dense::Network<float>({d, h, k, h, d}, {true, false, true, false}, p.activation);
    util::Random rng(seed);
    m.net.init(rng);

    std::vector<std::uint32_t> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), 0u);
    rng.shuffle_32(perm);
    auto n_val = static_cast<std::size_t>(std::floor(static_cast<double>(n) * p.validation_fraction));
    if (n_val >= static_cast<std::size_t>(n)) n_val = 0;
    const std::size_t n_train = static_cast<std::size_t>(n) - n_val;

    // Standardise once into columns; training rows in split order, then validation rows.
    MatF all;
    standardise(m, x, 0, n, all);
    MatF train_z, val_z;
    {
        std::vector<std::uint32_t> train_idx(perm.begin() + static_cast<std::ptrdiff_t>(n_val), perm.end());
        std::vector<std::uint32_t> val_idx(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(n_val));
        gather(all, train_idx, 0, n_train, train_z);
        gather(all, val_idx, 0, n_val, val_z);
    }
    all = MatF();

    dense::Adam<float> adam(m.net, {p.learning_rate, 0.9, 0.999, 1e-8});
    dense::Workspace<float> ws;
    std::vector<dense::Layer<float>> grads;
    std::vector<dense::Layer<float>> best = m.net.layers();
    MatF batch;
    std::vector<std::uint32_t> order(n_train);
    std::iota(order.begin(), order.end(), 0u);
    double best_loss = std::numeric_limits<double>::infinity();
    int bad_epochs = 0;
    const auto bs = static_cast<std::size_t>(p.batch_size);

    for (int epoch = 1; epoch <= p.max_epochs; ++epoch) {
        rng.shuffle_32(order);
        double train_total = 0;
        for (std::size_t b = 0; b < n_train; b += bs) {
            const std::size_t nb = std::min(bs, n_train - b);
            gather(train_z, order, b, nb, batch);
            const MatF& out = m.net.forward(batch, ws);
            ws.delta = out - batch;
            train_total += static_cast<double>(ws.delta.squaredNorm());
            ws.delta *= 2.0f / static_cast<float>(nb * static_cast<std::size_t>(d));
            m.net.backward(batch, ws, grads);
            adam.step(m.net, grads);
        }
        const double train_loss = train_total / (static_cast<double>(n_train) * d);
        if (!std::isfinite(train_loss))
            throw UsageError(fmt::format("autoencoder training diverged in epoch {} (the loss is not finite); lower learning_rate", epoch));
        m.history.train_loss.push_back(train_loss);
        m.history.epochs = epoch;
        double val_loss = -1;
        if (n_val > 0) {
            val_loss = total_squared_error(m.net, val_z) / (static_cast<double>(n_val) * d);
            m.history.validation_loss.push_back(val_loss);
        }
        if (on_epoch) on_epoch(epoch, train_loss, val_loss);
        if (n_val == 0) continue;
        if (val_loss < best_loss * (1 - k_min_improvement)) {
            best_loss = val_loss;
            best = m.net.layers();
            m.history.best_epoch = epoch;
            bad_epochs = 0;
        } else if (++bad_epochs >= p.patience) {
            break;
        }
    }
    if (n_val > 0) {
        m.net.layers() = std::move(best);
        m.history.best_validation_loss = best_loss;
    } else {
        m.history.best_epoch = m.history.epochs;
    }
    return m;
}

Matrix squared_errors(const Model& m, const Matrix& x, int threads) {
    Matrix out(x.rows(), x.cols());
    const auto blocks = static_cast<std::size_t>((x.rows() + k_score_block - 1) / k_score_block);
    util::parallel_for(blocks, threads, 1, [&](std::size_t begin, std::size_t end) {
        dense::Workspace<float> ws;
        MatF z;
        for (std::size_t blk = begin; blk < end; ++blk) {
            const Eigen::Index r0 = static_cast<Eigen::Index>(blk) * k_score_block;
            const Eigen::Index r1 = std::min(r0 + k_score_block, x.rows());
            standardise(m, x, r0, r1, z);
            const MatF& y = m.net.forward(z, ws, true);
            out.middleRows(r0, r1 - r0) = (y - z).array().square().matrix().transpose().cast<double>();
        }
    });
    return out;
}

Vector scores(const Model& m, const Matrix& x, int threads) {
    Vector out(x.rows());
    const auto blocks = static_cast<std::size_t>((x.rows() + k_score_block - 1) / k_score_block);
    util::parallel_for(blocks, threads, 1, [&](std::size_t begin, std::size_t end) {
        dense::Workspace<float> ws;
        MatF z;
        for (std::size_t blk = begin; blk < end; ++blk) {
            const Eigen::Index r0 = static_cast<Eigen::Index>(blk) * k_score_block;
            const Eigen::Index r1 = std::min(r0 + k_score_block, x.rows());
            standardise(m, x, r0, r1, z);
            const MatF& y = m.net.forward(z, ws, true);
            // Mean in double over the float squares, so it equals the mean of squared_errors().
            out.segment(r0, r1 - r0) = (y - z).array().square().cast<double>().colwise().mean().transpose();
        }
    });
    return out;
}

}  // namespace logad::model::autoencoder
