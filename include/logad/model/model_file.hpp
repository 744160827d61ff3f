#pragma once
// A trained model on disk: one versioned JSON document (kind "logad-model"), written atomically.
//   {"format": "logad-model", "version": 1,
//    "detector":  {"algo": "iforest", "state": {...Detector::to_json()...}},
//    "threshold": {"rule": "contamination=0.01", "value": 0.63, "margin": 0.01},
//      (value: the bar a score must pass; margin, when present: how much of it lies above the
//       rule's quantile of training scores, threshold_margin())
//    "feature_names": ["c0", ...],
//    ...optional parts added by later stages ("parser", "featurizer", ...): kept as they are}
// Loading refuses other kinds, newer versions, invalid JSON (truncated) and states the detector
// cannot validate (edited), each with a FormatError naming the file.
#include <logad/export.hpp>
#include <logad/model/threshold.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace logad::model {

class Detector;  // <logad/model/detector.hpp>; kept out so that holders of a model need no Eigen

struct LOGAD_API ModelFile {
    // Out of line: the detector's type is complete only where it is destroyed or moved.
    ModelFile();
    ~ModelFile();
    ModelFile(ModelFile&&) noexcept;
    ModelFile& operator=(ModelFile&&) noexcept;

    std::unique_ptr<Detector> detector;
    ThresholdRule rule;
    double threshold = 0.0;  // the bar: score > threshold is anomalous (margin included)
    double margin = 0.0;     // of the threshold, the part above the rule's quantile (threshold.hpp)
    std::vector<std::string> feature_names;  // one per detector feature; may be empty
    nlohmann::json parts = nlohmann::json::object();  // optional extra parts by name
};

nlohmann::json model_to_json(const ModelFile& model);  // without the envelope
LOGAD_API ModelFile model_from_json(const nlohmann::json& doc, const std::string& origin);  // throws FormatError

LOGAD_API void save_model(const std::filesystem::path& path, const ModelFile& model);  // throws OutputError
ModelFile load_model(const std::filesystem::path& path);                     // throws InputError/FormatError

}  // namespace logad::model
