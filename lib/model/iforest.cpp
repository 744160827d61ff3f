// The isolation forest detector: parameters, fit/score glue and the saved state. The trees
// themselves are in iforest_forest.cpp. Score = 2^(-E[h(x)] / c(psi)), in (0, 1]; about 0.5
// when nothing stands out, near 1 for rows isolated in few splits.
#include "algorithms.hpp"
#include "iforest_forest.hpp"

#include <logad/util/json_integer.hpp>
#include <logad/util/json_packed.hpp>
#include <logad/error.hpp>
#include <logad/model/iforest.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::model {
namespace {

struct IForestParams {
    int trees = 100;
    std::size_t samples = 256;
    int extension_level = 0;  // -1 = all features
};

IForestParams parse_iforest_params(const nlohmann::json& params) {
    if (!params.is_object()) throw UsageError("iforest parameters must be a JSON object");
    IForestParams p;
    auto integer = [](const std::string& key, const nlohmann::json& v, long long lo, long long hi) {
        if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
            throw UsageError(fmt::format("iforest parameter {} must be an integer in [{}, {}]", key, lo, hi));
        return v.get<long long>();
    };
    for (const auto& [key, v] : params.items()) {
        if (key == "trees") p.trees = static_cast<int>(integer(key, v, 1, 100000));
        else if (key == "samples") p.samples = static_cast<std::size_t>(integer(key, v, 2, 1 << 24));
        else if (key == "extension_level") p.extension_level = static_cast<int>(integer(key, v, -1, 1 << 20));
        else if (key == "extended") {
            if (!v.is_boolean()) throw UsageError("iforest parameter extended must be true or false");
            if (v.get<bool>()) p.extension_level = -1;
        } else {
            throw UsageError(fmt::format("unknown iforest parameter '{}'; known: trees, samples, extension_level, extended", key));
        }
    }
    return p;
}

nlohmann::json params_json(const IForestParams& p) {
    return {{"trees", p.trees}, {"samples", p.samples}, {"extension_level", p.extension_level}};
}

class IsolationForest final : public Detector {
public:
    explicit IsolationForest(IForestParams p) : m_params(p) {}

    DetectorKind kind() const override { return DetectorKind::iforest; }
    std::size_t n_features() const override { return m_forest.n_features; }

    void fit(const Matrix& x, const FitOptions& options) override {
        if (x.rows() < 2 || x.cols() < 1) throw UsageError("iforest needs at least 2 rows and 1 feature to fit");
        require_finite(x, "iforest", "training");
        iforest::BuildOptions b;
        b.trees = m_params.trees;
        b.samples = m_params.samples;
        const int d = static_cast<int>(x.cols());
        b.extension_level = m_params.extension_level < 0 ? d - 1 : std::min(m_params.extension_level, d - 1);
        b.seed = options.seed;
        b.threads = options.threads;
        m_forest = iforest::build_forest(x, b);
    }

    Vector score(const Matrix& x, int threads) const override {
        if (m_forest.roots.empty()) throw UsageError("iforest: score() before fit() or load");
        if (static_cast<std::size_t>(x.cols()) != m_forest.n_features)
            throw UsageError(fmt::format("iforest was trained on {} features, got rows of {}", m_forest.n_features, x.cols()));
        require_finite(x, "iforest", "scored");
        Vector h = iforest::mean_path_length(m_forest, x, threads);
        const double c = iforest_average_path_length(m_forest.psi);
        return (-h.array() / c).unaryExpr([](double e) { return std::exp2(e); }).matrix();
    }

    std::vector<std::vector<double>> split_points() const {
        if (m_forest.oblique()) return {};  // a projection mixes features: no per-feature cuts
        std::vector<std::vector<double>> cuts(m_forest.n_features);
        for (const iforest::Node& n : m_forest.nodes)
            if (n.left >= 0) cuts[static_cast<std::size_t>(n.a)].push_back(n.value);
        for (auto& c : cuts) {
            std::sort(c.begin(), c.end());
            c.erase(std::unique(c.begin(), c.end()), c.end());
        }
        return cuts;
    }

    nlohmann::json to_json() const override {
        const iforest::Forest& f = m_forest;
        nlohmann::json j;
        j["params"] = params_json(m_params);
        j["n_features"] = f.n_features;
        j["psi"] = f.psi;
        j["extension_level_used"] = f.extension_level;
        j["roots"] = f.roots;
        // Column-wise arrays: compact and quick to parse.
        std::vector<std::int32_t> left, a, b;
        std::vector<double> value;
        for (const auto& n : f.nodes) {
            left.push_back(n.left);
            a.push_back(n.a);
            b.push_back(n.b);
            value.push_back(n.value);
        }
        j["left"] = left;
        j["value"] = value;
        if (f.oblique()) {
            j["coef_begin"] = a;
            j["coef_end"] = b;
            j["coef_index"] = f.coef_index;
            j["coef_weight"] = f.coef_weight;
        } else {
            j["feature"] = a;
        }
        return j;
    }

    void from_json(const nlohmann::json& j) override {
        try {
            IForestParams p = parse_iforest_params(j.at("params"));
            iforest::Forest f;
            f.n_features = util::json_integer_in<std::size_t>(j.at("n_features"), 1, std::size_t(1) << 24, "n_features");
            f.psi = util::json_integer_in<std::size_t>(j.at("psi"), 2, std::size_t(1) << 31, "psi");
            f.extension_level = util::json_integer<int>(j.at("extension_level_used"));
            f.roots = util::json_integers<std::int32_t>(j.at("roots"));
            // Nodes filled array by array, straight from the loaded (packed) arrays: no second
            // copy of every array on the way, so loading takes memory close to the forest's own.
            const nlohmann::json& left = j.at("left");
            const nlohmann::json& a = j.at(f.oblique() ? "coef_begin" : "feature");
            const std::size_t n = util::json_array_size(left);
            if (util::json_array_size(j.at("value")) != n || util::json_array_size(a) != n ||
                (f.oblique() && util::json_array_size(j.at("coef_end")) != n))
                throw FormatError("isolation forest in the model is damaged: node arrays differ in length");
            f.nodes.resize(n);
            std::size_t i = 0;
            util::for_each_integer<std::int32_t>(left, [&](std::int32_t v) { f.nodes[i++].left = v; });
            i = 0;
            util::for_each_number(j.at("value"), [&](double v) { f.nodes[i++].value = v; });
            i = 0;
            util::for_each_integer<std::int32_t>(a, [&](std::int32_t v) { f.nodes[i++].a = v; });
            if (f.oblique()) {
                i = 0;
                util::for_each_integer<std::int32_t>(j.at("coef_end"), [&](std::int32_t v) { f.nodes[i++].b = v; });
                f.coef_index = util::json_integers<std::int32_t>(j.at("coef_index"));
                f.coef_weight = util::json_doubles(j.at("coef_weight"));
            }
            iforest::validate(f);
            iforest::prepare_walk(f);  // the flat form the walk reads: built here, never saved
            m_params = p;
            m_forest = std::move(f);
        } catch (const nlohmann::json::exception& e) {
            throw FormatError(fmt::format("isolation forest in the model is damaged or edited: {}", e.what()));
        } catch (const UsageError& e) {
            throw FormatError(fmt::format("isolation forest in the model has invalid parameters: {}", e.what()));
        }
    }

private:
    IForestParams m_params;
    iforest::Forest m_forest;
};

}  // namespace

std::vector<std::vector<double>> split_points(const Detector& detector) {
    if (detector.kind() != DetectorKind::iforest) return {};
    return static_cast<const IsolationForest&>(detector).split_points();
}

std::unique_ptr<Detector> make_iforest(const nlohmann::json& params) {
    return std::make_unique<IsolationForest>(parse_iforest_params(params.is_null() ? nlohmann::json::object() : params));
}

}  // namespace logad::model
