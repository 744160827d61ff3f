#include <logad/model/calibration.hpp>
#include <logad/model/threshold.hpp>

#include <logad/error.hpp>
#include <logad/util/quantile.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>
#include <nlohmann/json.hpp>

namespace logad::model {
namespace {

}  // namespace

ThresholdRule ThresholdRule::parse(const std::string& text) {
    const auto eq = text.find('=');
    const std::string name = text.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
    ThresholdRule rule;
    if (name == "contamination") rule.kind = contamination;
    else if (name == "quantile") rule.kind = quantile;
    else if (name == "fixed") rule.kind = fixed;
    else
        throw UsageError(fmt::format("unknown threshold rule '{}'; use contamination=0.01, quantile=0.99 or fixed=0.6", text));
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), rule.value);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(rule.value))
        throw UsageError(fmt::format("threshold '{}' needs a number after '='", text));
    if (rule.kind == contamination && !(rule.value >= 0.0 && rule.value < 0.5))
        throw UsageError(fmt::format("contamination must be in [0, 0.5), got {}", rule.value));
    if (rule.kind == quantile && !(rule.value > 0.0 && rule.value <= 1.0))
        throw UsageError(fmt::format("quantile must be in (0, 1], got {}", rule.value));
    return rule;
}

std::string ThresholdRule::to_string() const {
    static constexpr const char* k_names[] = {"contamination", "quantile", "fixed"};
    return fmt::format("{}={}", k_names[kind], value);
}

double calibrate_threshold(const Vector& training_scores, const ThresholdRule& rule) {
    if (rule.kind == ThresholdRule::fixed) return rule.value;
    if (training_scores.size() == 0) throw UsageError("cannot calibrate a threshold on zero training rows");
    std::vector<double> v(training_scores.data(), training_scores.data() + training_scores.size());
    const double q = rule.kind == ThresholdRule::contamination ? 1.0 - rule.value : rule.value;
    return util::quantile_of(v, q);
}

double threshold_margin(const Vector& training_scores, const ThresholdRule& rule) {
    const auto n = static_cast<double>(training_scores.size());
    // Too few rows to tell a spread at the top from the whole range of scores.
    if (rule.kind == ThresholdRule::fixed || n < k_margin_min_rows) return 0;
    std::vector<double> v(training_scores.data(), training_scores.data() + training_scores.size());
    std::sort(v.begin(), v.end());
    const double q = rule.kind == ThresholdRule::contamination ? 1.0 - rule.value : rule.value;
    const double rows = std::max(k_margin_rows, k_margin_share * n);
    const double below = std::max(0.0, q - rows / (n - 1));
    const double margin = util::quantile_of_sorted(v, q) - util::quantile_of_sorted(v, below);
    return std::isfinite(margin) && margin > 0 ? margin : 0.0;
}

nlohmann::json to_json(const ThresholdRule& rule) { return rule.to_string(); }

ThresholdRule threshold_rule_from_json(const nlohmann::json& j) {
    if (!j.is_string()) throw FormatError("threshold rule must be a string like \"contamination=0.01\"");
    try {
        return ThresholdRule::parse(j.get<std::string>());
    } catch (const UsageError& e) {
        throw FormatError(e.what());
    }
}

}  // namespace logad::model
