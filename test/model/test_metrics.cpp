// Metrics against values worked out by hand (the working is in each case). The same cases were
// checked with scikit-learn 1.2.1 (Debian python3-sklearn), e.g.
//   roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75
//   average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333333333333333
//   roc_auc_score([1,0,0,0], [1,1,1,0]) = 0.6666666666666667, average_precision_score = 0.3333333333333333
//   y = [1,0,1,1,0,0,1,0,0,0], s = [0.9,0.9,0.7,0.5,0.5,0.5,0.2,0.2,0.1,0.0]:
//   roc_auc_score = 0.7083333333333334, average_precision_score = 0.5416666666666666
#include <logad/model/metrics.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

using namespace logad::model;


TEST_CASE("confusion counts and ratios", "[model]") {
    const Confusion c = confusion({true, true, false, false, true}, {true, false, true, false, true});
    CHECK(c.tp == 2);
    CHECK(c.fn == 1);
    CHECK(c.fp == 1);
    CHECK(c.tn == 1);
    CHECK(c.precision() == Approx(2.0 / 3));
    CHECK(c.recall() == Approx(2.0 / 3));
    CHECK(c.f1() == Approx(2.0 / 3));

    // Nothing predicted, nothing true: zero_division gives 0, not NaN.
    const Confusion none = confusion({false, false}, {false, false});
    CHECK(none.precision() == 0);
    CHECK(none.recall() == 0);
    CHECK(none.f1() == 0);
    CHECK_THROWS_AS(confusion({true}, {true, false}), std::invalid_argument);
}

TEST_CASE("ROC-AUC is the Mann-Whitney statistic", "[model]") {
    // Positives 0.8 and 0.35, negatives 0.1 and 0.4: 0.8 beats both, 0.35 beats 0.1 only: 3 of 4.
    CHECK(roc_auc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}) == Approx(0.75));
    // Perfect and reversed rankings.
    CHECK(roc_auc({0.1, 0.2, 0.9}, {false, false, true}) == Approx(1.0));
    CHECK(roc_auc({0.9, 0.8, 0.1}, {false, false, true}) == Approx(0.0));
    // A tie counts one half: the positive ties two negatives and beats one: (1 + 2 * 0.5) / 3.
    CHECK(roc_auc({1, 1, 1, 0}, {true, false, false, false}) == Approx(2.0 / 3));
    // All scores equal: no information, 0.5.
    CHECK(roc_auc({3, 3, 3, 3}, {true, false, true, false}) == Approx(0.5));
    // Mixed ties: positive 0.9 = 5 + 0.5, 0.7 = 5, 0.5 = 3 + 2 * 0.5, 0.2 = 2 + 0.5: 17 of 24.
    CHECK(roc_auc({0.9, 0.9, 0.7, 0.5, 0.5, 0.5, 0.2, 0.2, 0.1, 0.0},
                  {true, false, true, true, false, false, true, false, false, false}) == Approx(17.0 / 24));
    // Undefined with one class.
    CHECK(std::isnan(roc_auc({0.1, 0.2}, {false, false})));
    CHECK(std::isnan(roc_auc({0.1, 0.2}, {true, true})));
}

TEST_CASE("average precision steps on distinct thresholds, without interpolation", "[model]") {
    // Descending: 0.8 P (R 1/2, P 1), 0.4 N, 0.35 P (R 1, P 2/3): 0.5 * 1 + 0.5 * 2/3.
    CHECK(average_precision({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}) == Approx(0.5 + 1.0 / 3));
    // One tied group holding the positive: recall 0 -> 1 at precision 1/3.
    CHECK(average_precision({1, 1, 1, 0}, {true, false, false, false}) == Approx(1.0 / 3));
    // Groups 0.9 (1 of 2), 0.7 (2 of 3), 0.5 (3 of 6), 0.2 (4 of 8), each a quarter of recall.
    CHECK(average_precision({0.9, 0.9, 0.7, 0.5, 0.5, 0.5, 0.2, 0.2, 0.1, 0.0},
                            {true, false, true, true, false, false, true, false, false, false}) ==
          Approx(0.25 * (0.5 + 2.0 / 3 + 0.5 + 0.5)));
    CHECK(average_precision({0.3, 0.9}, {false, true}) == Approx(1.0));
    CHECK(std::isnan(average_precision({0.1, 0.2}, {false, false})));
}

TEST_CASE("best F1 threshold over the distinct scores", "[model]") {
    // t = 0.8: F1 2/3; 0.4: 1/2; 0.35: P 2/3 R 1, F1 0.8; 0.1: 2/3.
    const BestF1 b = best_f1({0.1, 0.4, 0.35, 0.8}, {false, false, true, true});
    CHECK(b.threshold == Approx(0.35));
    CHECK(b.f1 == Approx(0.8));
    CHECK(b.precision == Approx(2.0 / 3));
    CHECK(b.recall == Approx(1.0));
    // No anomaly at all: F1 0 everywhere, a finite threshold.
    const BestF1 none = best_f1({0.2, 0.7}, {false, false});
    CHECK(none.f1 == 0);
    CHECK(std::isfinite(none.threshold));
}
