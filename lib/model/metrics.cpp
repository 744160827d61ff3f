#include <logad/model/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace logad::model {
namespace {

double ratio(std::uint64_t num, std::uint64_t den) { return den == 0 ? 0.0 : double(num) / double(den); }

void check_sizes(std::size_t a, std::size_t b) {
    if (a != b) throw std::invalid_argument("metrics: scores and truth differ in length");
}

// Item indices by score, highest first (ties stay together; their order does not matter since
// every metric below only looks at the ends of runs of equal scores).
std::vector<std::size_t> by_score_desc(const std::vector<double>& scores) {
    std::vector<std::size_t> idx(scores.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    return idx;
}

std::uint64_t positives(const std::vector<bool>& truth) {
    return static_cast<std::uint64_t>(std::count(truth.begin(), truth.end(), true));
}

}  // namespace

double Confusion::precision() const { return ratio(tp, tp + fp); }
double Confusion::recall() const { return ratio(tp, tp + fn); }
double Confusion::f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

Confusion confusion(const std::vector<bool>& truth, const std::vector<bool>& predicted) {
    check_sizes(truth.size(), predicted.size());
    Confusion c;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i]) (predicted[i] ? c.tp : c.fn)++;
        else (predicted[i] ? c.fp : c.tn)++;
    }
    return c;
}

double roc_auc(const std::vector<double>& scores, const std::vector<bool>& truth) {
    check_sizes(scores.size(), truth.size());
    const std::uint64_t pos = positives(truth), neg = truth.size() - pos;
    if (pos == 0 || neg == 0) return std::numeric_limits<double>::quiet_NaN();
    // Walking down the scores: each positive beats every negative below it; a run of equal
    // scores counts its positive-negative pairs as half wins.
    const auto idx = by_score_desc(scores);
    double wins = 0;
    std::uint64_t neg_above = 0;
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        std::uint64_t p = 0, n = 0;
        for (; j < idx.size() && scores[idx[j]] == scores[idx[i]]; ++j) (truth[idx[j]] ? p : n)++;
        wins += double(p) * double(neg - neg_above - n) + 0.5 * double(p) * double(n);
        neg_above += n;
        i = j;
    }
    return wins / (double(pos) * double(neg));
}

double average_precision(const std::vector<double>& scores, const std::vector<bool>& truth) {
    check_sizes(scores.size(), truth.size());
    const std::uint64_t pos = positives(truth);
    if (pos == 0 || pos == truth.size()) return std::numeric_limits<double>::quiet_NaN();
    const auto idx = by_score_desc(scores);
    double ap = 0;
    std::uint64_t tp = 0, seen = 0;
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        std::uint64_t p = 0;
        for (; j < idx.size() && scores[idx[j]] == scores[idx[i]]; ++j) p += truth[idx[j]] ? 1 : 0;
        tp += p;
        seen += j - i;
        ap += double(p) / double(pos) * ratio(tp, seen);  // recall step times precision here
        i = j;
    }
    return ap;
}

BestF1 best_f1(const std::vector<double>& scores, const std::vector<bool>& truth) {
    check_sizes(scores.size(), truth.size());
    const std::uint64_t pos = positives(truth);
    BestF1 best;
    if (scores.empty()) return best;
    const auto idx = by_score_desc(scores);
    best.threshold = scores[idx.front()];  // when nothing beats F1 = 0 (no anomaly at all)
    std::uint64_t tp = 0, seen = 0;
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        for (; j < idx.size() && scores[idx[j]] == scores[idx[i]]; ++j) tp += truth[idx[j]] ? 1 : 0;
        seen += j - i;
        Confusion c;
        c.tp = tp;
        c.fp = seen - tp;
        c.fn = pos - tp;
        if (c.f1() > best.f1) best = {scores[idx[i]], c.f1(), c.precision(), c.recall()};
        i = j;
    }
    return best;
}

}  // namespace logad::model
