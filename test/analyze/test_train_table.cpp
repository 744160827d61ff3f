// analyze::train_table: a plain detector fitted on every row of a numeric table, its threshold
// calibrated on the training scores; bad algorithms and malformed tables refused clearly.
#include <logad/analyze/train_table.hpp>
#include <logad/error.hpp>
#include <logad/model/detector.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace logad;

namespace {

// 200 rows of two columns near (1, 2), one far row last.
std::string table_csv() {
    std::ostringstream t;
    t << "cpu,mem\n";
    for (int i = 0; i < 200; ++i) t << 1 + (i % 7) * 0.01 << ',' << 2 - (i % 5) * 0.01 << '\n';
    t << "90,-50\n";
    return t.str();
}

analyze::TableTrainRun train_on(const std::string& text, analyze::TableTrainRequest request = {}) {
    std::istringstream in(text);
    auto source = io::open_input("-", in);
    return analyze::train_table(*source, request);
}

}  // namespace

TEST_CASE("train table: every row is fitted, columns named by the header, the far row above the threshold",
          "[analyze][table]") {
    const analyze::TableTrainRun run = train_on(table_csv());
    CHECK(run.rows == 201);
    CHECK(run.cols == 2);
    CHECK(run.model.feature_names == std::vector<std::string>{"cpu", "mem"});
    REQUIRE(run.model.detector != nullptr);
    CHECK(run.model.detector->algo() == "iforest");
    CHECK(run.above >= 1);
    CHECK(run.above < 20);  // the rule keeps the bar near the top of the training scores
    model::Matrix far(1, 2);
    far << 90, -50;
    CHECK(run.model.detector->score(far)(0) > run.model.threshold);
}

TEST_CASE("train table: the same seed gives the same model, another seed another forest", "[analyze][table]") {
    analyze::TableTrainRequest a, b;
    b.seed = 7;
    const auto first = train_on(table_csv(), a), again = train_on(table_csv(), a), other = train_on(table_csv(), b);
    CHECK(first.model.threshold == again.model.threshold);
    CHECK(first.model.threshold != other.model.threshold);
}

TEST_CASE("train table: an unknown algorithm, an empty or a malformed table is refused", "[analyze][table]") {
    analyze::TableTrainRequest bad_algo;
    bad_algo.algo = "random-guess";
    CHECK_THROWS_AS(train_on(table_csv(), bad_algo), UsageError);
    CHECK_THROWS_AS(train_on("cpu,mem\n"), InputError);
    CHECK_THROWS_AS(train_on("cpu,mem\n1,2\n3\n"), InputError);
}
