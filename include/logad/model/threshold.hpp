#pragma once
// Thresholds come from training scores only (never from test labels or test scores):
// - contamination c: the (1 - c) quantile of training scores (expected share of anomalies);
// - quantile q: the q quantile of training scores;
// - fixed v: v itself.
// Applying a rule to training scores is calibration.hpp's: it needs Eigen, a rule alone does not.
#include <logad/export.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace logad::model {

struct LOGAD_API ThresholdRule {
    enum Kind { contamination, quantile, fixed } kind = contamination;
    double value = 0.01;
    // "contamination=0.01", "quantile=0.999", "fixed=0.6"; throws UsageError otherwise.
    static ThresholdRule parse(const std::string& text);
    std::string to_string() const;
};

nlohmann::json to_json(const ThresholdRule& rule);
ThresholdRule threshold_rule_from_json(const nlohmann::json& j);

}  // namespace logad::model
