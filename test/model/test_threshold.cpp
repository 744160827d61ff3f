#include <logad/model/calibration.hpp>
#include <logad/error.hpp>
#include <logad/model/threshold.hpp>

#include <catch2/catch.hpp>

using logad::model::ThresholdRule;
using logad::model::calibrate_threshold;

TEST_CASE("threshold rules parse and print", "[model]") {
    CHECK(ThresholdRule::parse("contamination=0.02").kind == ThresholdRule::contamination);
    CHECK(ThresholdRule::parse("quantile=0.99").value == 0.99);
    CHECK(ThresholdRule::parse("fixed=-1.5").value == -1.5);
    CHECK(ThresholdRule::parse("fixed=0.6").to_string() == "fixed=0.6");
    for (const char* bad : {"contamination", "contamination=", "contamination=0.7", "quantile=0", "quantile=1.5",
                            "fixed=abc", "fixed=1x", "percent=3", "fixed=nan"})
        CHECK_THROWS_AS(ThresholdRule::parse(bad), logad::UsageError);
}

TEST_CASE("thresholds come from the training scores", "[model]") {
    // 0, 1, ..., 100: the q quantile is 100 q exactly under linear interpolation.
    logad::model::Vector s(101);
    for (int i = 0; i <= 100; ++i) s[i] = 100 - i;  // order must not matter
    CHECK(calibrate_threshold(s, ThresholdRule::parse("quantile=0.9")) == Approx(90.0));
    CHECK(calibrate_threshold(s, ThresholdRule::parse("contamination=0.05")) == Approx(95.0));
    CHECK(calibrate_threshold(s, ThresholdRule::parse("quantile=1")) == Approx(100.0));
    CHECK(calibrate_threshold(s, ThresholdRule::parse("fixed=3.5")) == 3.5);
    // contamination c flags about c of the training rows (score > threshold).
    const double t = calibrate_threshold(s, ThresholdRule::parse("contamination=0.1"));
    CHECK((s.array() > t).count() == 10);
    CHECK_THROWS_AS(calibrate_threshold(logad::model::Vector(), ThresholdRule::parse("quantile=0.5")), logad::UsageError);
    CHECK(calibrate_threshold(logad::model::Vector(), ThresholdRule::parse("fixed=1")) == 1.0);
}

TEST_CASE("the margin above a quantile is the spread of the training scores just below it", "[model]") {
    logad::model::Vector scores(101);
    for (int i = 0; i <= 100; ++i) scores[i] = i;  // the top score is 100, the one 10 rows below it 90
    CHECK(logad::model::threshold_margin(scores, ThresholdRule::parse("quantile=1")) == Approx(10.0));
    CHECK(logad::model::threshold_margin(scores, ThresholdRule::parse("contamination=0.4")) == Approx(10.0));
    CHECK(logad::model::threshold_margin(scores, ThresholdRule::parse("fixed=0.6")) == 0.0);  // the user chose the bar
    logad::model::Vector flat = logad::model::Vector::Constant(50, 0.4);
    CHECK(logad::model::threshold_margin(flat, ThresholdRule::parse("quantile=1")) == 0.0);
    logad::model::Vector few(50);
    for (int i = 0; i < 50; ++i) few[i] = i;  // the top ten of 50 are a fifth of all: no margin
    CHECK(logad::model::threshold_margin(few, ThresholdRule::parse("quantile=1")) == 0.0);
}
