#pragma once
// A threshold rule (threshold.hpp) applied to a detector's training scores: the bar a row must pass.
#include <logad/export.hpp>
#include <logad/model/detector.hpp>
#include <logad/model/threshold.hpp>

namespace logad::model {

// The threshold for `training_scores` under `rule`; a row is anomalous when score > threshold.
LOGAD_API double calibrate_threshold(const Vector& training_scores, const ThresholdRule& rule);

// How far above calibrate_threshold() a bar is set so that a normal run does not fail on a hair.
// A fresh normal row scores above the highest of n training rows with a chance of about 1 in
// n + 1, and then usually only just: a run of thousands of rows would pass the bare quantile now
// and then (0.6394 over 0.6390). The margin is the spread of the training scores just below the
// rule's quantile: the quantile minus the score k_margin_rows rows below it, or k_margin_share of
// all rows when that is more. On large training sets the top ten rows are often lines of one
// rare template scoring alike, so their spread says little about how high another line of it
// may score; 0.1% still let 1 of 20 generated normal hours fail (scripts/check_normal_seeds.py),
// 0.3% none. 0 for a fixed rule (the user chose the value) and below k_margin_min_rows rows (the
// top ten would be much of all).
inline constexpr double k_margin_rows = 10;
inline constexpr double k_margin_share = 0.003;
inline constexpr double k_margin_min_rows = 100;
LOGAD_API double threshold_margin(const Vector& training_scores, const ThresholdRule& rule);

}  // namespace logad::model
