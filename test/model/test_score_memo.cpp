#include <logad/error.hpp>
#include <logad/model/detector.hpp>
#include <logad/model/score_memo.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <nlohmann/json.hpp>

using logad::model::Matrix;
using logad::model::ScoreMemo;
using logad::model::Vector;
using logad::model::make_detector;

namespace {

// Rows like a log's: mostly zeros, a few small integers and one measurement that repeats
// within a narrow range, so many rows fall into the same intervals without being equal.
Matrix log_like(int rows, unsigned seed) {
    std::mt19937_64 gen(seed);
    std::uniform_int_distribution<int> pick(0, 5);
    std::normal_distribution<double> length(60.0, 3.0);
    Matrix x = Matrix::Zero(rows, 8);
    for (int i = 0; i < rows; ++i) {
        x(i, pick(gen)) = 1.0;
        x(i, 6) = std::round(length(gen));
        x(i, 7) = std::log1p(static_cast<double>(pick(gen)));
    }
    return x;
}

}  // namespace

TEST_CASE("the score memo returns the forest scores exactly and remembers repeated intervals", "[model]") {
    const Matrix train = log_like(2000, 1);
    auto forest = make_detector("iforest", nlohmann::json::parse(R"({"trees": 40})"));
    forest->fit(train, {.seed = 3, .threads = 1});
    ScoreMemo memo(*forest);
    REQUIRE(memo.active());
    const Matrix x = log_like(3000, 2);
    const Vector direct = forest->score(x, 1);
    for (Eigen::Index begin = 0; begin < x.rows(); begin += 256) {  // blocks, as the scorer sends them
        const Eigen::Index n = std::min<Eigen::Index>(256, x.rows() - begin);
        const Vector got = memo.score(x.middleRows(begin, n), 1);
        for (Eigen::Index r = 0; r < n; ++r) REQUIRE(got[r] == direct[begin + r]);
    }
    CHECK(memo.hits() + memo.misses() == 3000);
    CHECK(memo.hits() > 2000);  // a few hundred distinct interval keys among 3,000 rows

    // Values between other split points than any row so far: scored, not taken from the memo.
    Matrix odd = x.topRows(4);
    odd(0, 6) = 1e6;
    odd(1, 7) = -3.5;
    const Vector odd_direct = forest->score(odd, 1);
    const Vector odd_memo = memo.score(odd, 1);
    for (Eigen::Index r = 0; r < 4; ++r) CHECK(odd_memo[r] == odd_direct[r]);
}

TEST_CASE("the score memo stays exact when it starts over, and refuses what the detector refuses", "[model]") {
    const Matrix train = log_like(1000, 4);
    auto forest = make_detector("iforest", nlohmann::json::parse(R"({"trees": 20})"));
    forest->fit(train, {.seed = 1, .threads = 1});
    ScoreMemo tiny(*forest, 5);  // starts over again and again
    const Matrix x = log_like(600, 5);
    const Vector direct = forest->score(x, 1);
    for (Eigen::Index begin = 0; begin < x.rows(); begin += 50) {
        const Vector got = tiny.score(x.middleRows(begin, 50), 1);
        for (Eigen::Index r = 0; r < 50; ++r) REQUIRE(got[r] == direct[begin + r]);
    }
    Matrix bad = x.topRows(3);
    bad(1, 6) = std::nan("");
    CHECK_THROWS_AS(tiny.score(bad, 1), logad::UsageError);
    CHECK_THROWS_AS(tiny.score(Matrix::Zero(2, 3), 1), logad::UsageError);  // wrong width
}

TEST_CASE("detectors without split points pass through the score memo", "[model]") {
    const Matrix train = log_like(300, 6);
    for (const char* params : {R"({"extended": true, "trees": 10})"}) {
        auto oblique = make_detector("iforest", nlohmann::json::parse(params));
        oblique->fit(train, {.seed = 2, .threads = 1});
        ScoreMemo memo(*oblique);
        CHECK_FALSE(memo.active());
        const Vector a = memo.score(train, 1), b = oblique->score(train, 1);
        CHECK((a.array() == b.array()).all());
    }
    auto svm = make_detector("ocsvm");
    svm->fit(train, {.seed = 2, .threads = 1});
    ScoreMemo memo(*svm);
    CHECK_FALSE(memo.active());
    CHECK((memo.score(train, 1).array() == svm->score(train, 1).array()).all());
    CHECK(memo.hits() == 0);
}
