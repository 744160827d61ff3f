#include <logad/model/model_file.hpp>

#include <logad/model/detector.hpp>

#include <logad/error.hpp>
#include <logad/util/versioned_file.hpp>

#include <fmt/core.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace logad::model {
namespace {

// Keys this version owns; every other top-level key is an optional part kept as is.
constexpr const char* k_own_keys[] = {"format", "version", "detector", "threshold", "feature_names"};

}  // namespace

ModelFile::ModelFile() = default;
ModelFile::~ModelFile() = default;
ModelFile::ModelFile(ModelFile&&) noexcept = default;
ModelFile& ModelFile::operator=(ModelFile&&) noexcept = default;

nlohmann::json model_to_json(const ModelFile& model) {
    if (!model.detector) throw UsageError("cannot save a model without a detector");
    nlohmann::json doc = model.parts.is_object() ? model.parts : nlohmann::json::object();
    doc["detector"] = {{"algo", std::string(model.detector->algo())}, {"state", model.detector->to_json()}};
    doc["threshold"] = {{"rule", to_json(model.rule)}, {"value", model.threshold}};
    if (model.margin > 0) doc["threshold"]["margin"] = model.margin;
    doc["feature_names"] = model.feature_names;
    return doc;
}

ModelFile model_from_json(const nlohmann::json& doc, const std::string& origin) {
    util::check_envelope(doc, util::k_model_file, origin);
    ModelFile m;
    try {
        const auto& det = doc.at("detector");
        const std::string algo = det.at("algo").get<std::string>();
        try {
            m.detector = make_detector(algo);
        } catch (const UsageError& e) {
            throw FormatError(fmt::format("{} holds a model this logad cannot load: {}", origin, e.what()));
        }
        m.detector->from_json(det.at("state"));
        const auto& th = doc.at("threshold");
        m.rule = threshold_rule_from_json(th.at("rule"));
        m.threshold = th.at("value").get<double>();
        if (!std::isfinite(m.threshold))
            throw FormatError(fmt::format("{} has a non-finite threshold; the file is damaged, retrain the model", origin));
        if (m.threshold < m.detector->lowest_score())
            throw FormatError(fmt::format("{} has a threshold of {} below any {} score; the file is damaged, retrain the model",
                                          origin, m.threshold, algo));
        m.margin = th.value("margin", 0.0);
        if (!std::isfinite(m.margin) || m.margin < 0)
            throw FormatError(fmt::format("{} has a threshold margin of {}; the file is damaged, retrain the model", origin, m.margin));
        m.feature_names = doc.at("feature_names").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("{} is damaged or was edited by hand ({}); retrain the model", origin, e.what()));
    } catch (const FormatError& e) {
        if (std::string_view(e.what()).starts_with(origin)) throw;
        throw FormatError(fmt::format("{}: {}", origin, e.what()));
    }
    if (!m.feature_names.empty() && m.feature_names.size() != m.detector->n_features())
        throw FormatError(fmt::format("{} names {} features but its detector has {}; retrain the model", origin,
                                      m.feature_names.size(), m.detector->n_features()));
    for (const auto& [key, value] : doc.items()) {
        bool own = false;
        for (const char* k : k_own_keys) own = own || key == k;
        if (!own) m.parts[key] = value;
    }
    return m;
}

void save_model(const std::filesystem::path& path, const ModelFile& model) {
    util::save_versioned(path, util::k_model_file, model_to_json(model));
}

ModelFile load_model(const std::filesystem::path& path) {
    return model_from_json(util::load_versioned(path, util::k_model_file), path.string());
}

}  // namespace logad::model
