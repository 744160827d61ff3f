// The autoencoder detector: checks, and the saved state. The recipe is in autoencoder.hpp.
// State (Detector::to_json):
//   {"params": {...}, "n_features": d, "sizes": [d, h, k, h, d], "activation": "relu",
//    "mean": [d numbers], "scale": [d numbers],
//    "layers": [{"weights": [out*in numbers, row-major (output unit, then input)], "bias": [out]}, x4],
//    "history": {"epochs": n, "best_epoch": e, "best_validation_loss": v (-1 = no split),
//                "train_loss": [...], "validation_loss": [...]}}
// Weights are float32 values written as JSON numbers; float -> double -> text -> double -> float
// is exact, so a loaded model scores identically.
#include "algorithms.hpp"
#include "autoencoder.hpp"

#include <logad/util/json_integer.hpp>
#include <logad/util/json_packed.hpp>
#include <logad/error.hpp>

#include <fmt/core.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace logad::model {
namespace {

class Autoencoder final : public Detector {
public:
    explicit Autoencoder(autoencoder::Params p) : m_params(p) {}

    DetectorKind kind() const override { return DetectorKind::autoencoder; }
    std::size_t n_features() const override { return static_cast<std::size_t>(m_model.n_features()); }

    void fit(const Matrix& x, const FitOptions& options) override {
        if (x.rows() < 2 || x.cols() < 1) throw UsageError("autoencoder needs at least 2 rows and 1 feature to fit");
        if (x.rows() > std::numeric_limits<std::uint32_t>::max()) throw UsageError("autoencoder: too many rows to fit (limit 2^32 - 1)");
        require_finite(x, "autoencoder", "training");
        m_model = autoencoder::train(x, m_params, options.seed);
    }

    Vector score(const Matrix& x, int threads) const override {
        check_scorable(x);
        return autoencoder::scores(m_model, x, threads);
    }

    Matrix feature_contributions(const Matrix& x) const override {
        check_scorable(x);
        return autoencoder::squared_errors(m_model, x, 1);
    }

    nlohmann::json to_json() const override {
        const auto& net = m_model.net;
        nlohmann::json j;
        j["params"] = autoencoder::params_json(m_params);
        j["n_features"] = m_model.n_features();
        std::vector<int> sizes{net.n_inputs()};
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : net.layers()) {
            sizes.push_back(static_cast<int>(l.w.rows()));
            std::vector<float> w;
            w.reserve(static_cast<std::size_t>(l.w.size()));
            for (Eigen::Index o = 0; o < l.w.rows(); ++o)
                for (Eigen::Index i = 0; i < l.w.cols(); ++i) w.push_back(l.w(o, i));
            layers.push_back({{"weights", w}, {"bias", std::vector<float>(l.b.data(), l.b.data() + l.b.size())}});
        }
        j["sizes"] = sizes;
        j["activation"] = std::string(dense::activation_name(net.activation()));
        j["mean"] = m_model.mean;
        j["scale"] = m_model.scale;
        j["layers"] = std::move(layers);
        const auto& h = m_model.history;
        j["history"] = {{"epochs", h.epochs},
                        {"best_epoch", h.best_epoch},
                        {"best_validation_loss", h.best_validation_loss},
                        {"train_loss", h.train_loss},
                        {"validation_loss", h.validation_loss}};
        return j;
    }

    void from_json(const nlohmann::json& j) override {
        try {
            autoencoder::Params p = autoencoder::parse_params(j.at("params"));
            autoencoder::Model m;
            const int d = util::json_integer<int>(j.at("n_features"));
            const auto sizes = util::json_integers<int>(j.at("sizes"));
            if (d < 1 || sizes.size() != 5 || sizes.front() != d || sizes.back() != d)
                throw FormatError(fmt::format("autoencoder in the model is damaged: sizes must be [{0}, h, k, h, {0}]", d));
            for (int s : sizes)
                if (s < 1 || s > (1 << 16)) throw FormatError("autoencoder in the model is damaged: a layer size is out of range");
            m.mean = util::json_doubles(j.at("mean"));
            m.scale = util::json_doubles(j.at("scale"));
            if (m.mean.size() != static_cast<std::size_t>(d) || m.scale.size() != static_cast<std::size_t>(d))
                throw FormatError("autoencoder in the model is damaged: mean/scale do not have one value per feature");
            for (std::size_t c = 0; c < m.scale.size(); ++c)
                if (!std::isfinite(m.mean[c]) || !std::isfinite(m.scale[c]) || !(m.scale[c] > 0))
                    throw FormatError("autoencoder in the model is damaged: mean/scale hold invalid values");
            const auto act = dense::parse_activation(j.at("activation").get<std::string>());
            const auto& layers = j.at("layers");
            if (!layers.is_array() || layers.size() != 4) throw FormatError("autoencoder in the model is damaged: expected 4 layers");
            // The declared sizes must match the weights present before the network takes memory for them.
            for (std::size_t k = 0; k < 4; ++k)
                if (util::json_array_size(layers[k].at("weights")) != static_cast<std::size_t>(sizes[k]) * static_cast<std::size_t>(sizes[k + 1]) ||
                    util::json_array_size(layers[k].at("bias")) != static_cast<std::size_t>(sizes[k + 1]))
                    throw FormatError(fmt::format("autoencoder in the model is damaged: layer {} should have {} x {} weights and {} biases",
                                                  k + 1, sizes[k + 1], sizes[k], sizes[k + 1]));
            m.net = dense::Network<float>(sizes, {true, false, true, false}, act);
            for (std::size_t k = 0; k < 4; ++k) {
                auto& l = m.net.layers()[k];
                const auto w = util::json_doubles(layers[k].at("weights"));
                const auto b = util::json_doubles(layers[k].at("bias"));
                if (w.size() != static_cast<std::size_t>(l.w.size()) || b.size() != static_cast<std::size_t>(l.b.size()))
                    throw FormatError(fmt::format("autoencoder in the model is damaged: layer {} should have {} x {} weights and {} biases",
                                                  k + 1, l.w.rows(), l.w.cols(), l.b.size()));
                std::size_t at = 0;
                for (Eigen::Index o = 0; o < l.w.rows(); ++o)
                    for (Eigen::Index i = 0; i < l.w.cols(); ++i) l.w(o, i) = static_cast<float>(w[at++]);
                for (Eigen::Index o = 0; o < l.b.size(); ++o) l.b(o) = static_cast<float>(b[static_cast<std::size_t>(o)]);
                if (!l.w.allFinite() || !l.b.allFinite()) throw FormatError("autoencoder in the model is damaged: non-finite weights");
            }
            const auto& h = j.at("history");
            m.history.epochs = util::json_integer<int>(h.at("epochs"));
            m.history.best_epoch = util::json_integer<int>(h.at("best_epoch"));
            m.history.best_validation_loss = h.at("best_validation_loss").get<double>();
            m.history.train_loss = util::json_doubles(h.at("train_loss"));
            m.history.validation_loss = util::json_doubles(h.at("validation_loss"));
            m_params = p;
            m_model = std::move(m);
        } catch (const nlohmann::json::exception& e) {
            throw FormatError(fmt::format("autoencoder in the model is damaged or edited: {}", e.what()));
        } catch (const UsageError& e) {
            throw FormatError(fmt::format("autoencoder in the model has invalid parameters: {}", e.what()));
        }
    }

private:
    void check_scorable(const Matrix& x) const {
        if (!m_model.fitted()) throw UsageError("autoencoder: score() before fit() or load");
        if (x.cols() != m_model.n_features())
            throw UsageError(fmt::format("autoencoder was trained on {} features, got rows of {}", m_model.n_features(), x.cols()));
        require_finite(x, "autoencoder", "scored");
    }

    autoencoder::Params m_params;
    autoencoder::Model m_model;
};

}  // namespace

std::unique_ptr<Detector> make_autoencoder(const nlohmann::json& params) {
    return std::make_unique<Autoencoder>(autoencoder::parse_params(params.is_null() ? nlohmann::json::object() : params));
}

}  // namespace logad::model
