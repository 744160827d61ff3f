#pragma once
// Detection metrics for `logad eval`: counts and precision/recall/F1 at the detector's own
// decisions, and threshold-free ranking metrics on scores (higher = more anomalous).
//   roc_auc            the Mann-Whitney statistic: the chance that a random anomaly scores above a
//                      random normal item, ties counting one half (as sklearn's roc_auc_score).
//   average_precision  sum over distinct score thresholds, from the highest, of
//                      (R_k - R_{k-1}) * P_k (as sklearn's average_precision_score; no
//                      interpolation).
// Both are NaN when the truth holds only one class: they are undefined then, not 0 or 1.
// A ratio with a zero denominator (precision with no predicted anomaly, recall with no true one)
// is 0, as sklearn's zero_division default reports.
#include <logad/export.hpp>
#include <cstdint>
#include <vector>

namespace logad::model {

struct LOGAD_API Confusion {
    std::uint64_t tp = 0, fp = 0, fn = 0, tn = 0;
    double precision() const;
    double recall() const;
    double f1() const;
};

// truth and predicted have one entry per item; throws std::invalid_argument on a size mismatch.
Confusion confusion(const std::vector<bool>& truth, const std::vector<bool>& predicted);

double roc_auc(const std::vector<double>& scores, const std::vector<bool>& truth);
double average_precision(const std::vector<double>& scores, const std::vector<bool>& truth);

// The threshold t among the scores that maximises F1 of "score >= t" (the highest such t on a
// tie). For information only: it is chosen on the labels being evaluated.
struct BestF1 {
    double threshold = 0;
    double f1 = 0, precision = 0, recall = 0;
};
BestF1 best_f1(const std::vector<double>& scores, const std::vector<bool>& truth);

}  // namespace logad::model
