// analyze::score_table: a numeric table scored in blocks by a plain detector, rows written as
// NDJSON and read back by pipeline/score_stream.hpp; columns that do not match are refused.
#include <logad/analyze/score_table.hpp>
#include <logad/error.hpp>
#include <logad/model/detector.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

using namespace logad;

namespace {

// An isolation forest on 200 rows of three normal columns; its threshold the 0.99 quantile.
model::ModelFile table_model() {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> g;
    model::Matrix x(200, 3);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
        for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = g(rng);
    model::ModelFile m;
    m.detector = model::make_detector("iforest");
    m.detector->fit(x, {});
    model::Vector s = m.detector->score(x);
    std::sort(s.begin(), s.end());
    m.threshold = s[198];
    m.feature_names = {"a", "b", "c"};
    return m;
}

// 30 normal rows, then one far outside: a CSV with a header.
std::string table_text(const std::string& header = "a,b,c") {
    std::ostringstream t;
    t << header << '\n';
    for (int i = 0; i < 30; ++i) t << (i % 3) * 0.1 << ',' << -0.2 + i * 0.01 << ',' << 0.05 << '\n';
    t << "40,-40,40\n";
    return t.str();
}

std::vector<pipeline::ScoreRecord> table_rows_read_back(const std::string& ndjson) {
    std::vector<pipeline::ScoreRecord> rows;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) {
        const pipeline::ScoreLine l = pipeline::read_score_line(std::string_view(line), "out");
        REQUIRE(l.kind == pipeline::ScoreLine::Kind::table_row);
        rows.push_back(l.record);
    }
    return rows;
}

}  // namespace

TEST_CASE("score table: rows scored in blocks are numbered from 1 across blocks, only anomalies unless all",
          "[analyze][table]") {
    const model::ModelFile m = table_model();
    for (const bool all : {false, true}) {
        std::istringstream text(table_text());
        auto source = io::open_input("-", text);
        std::ostringstream out;
        io::OutputBuffer buffer(out);
        analyze::TableScoreRequest request;
        request.block_rows = 7;  // 31 rows: five blocks
        request.all = all;
        const analyze::TableScoreRun run = analyze::score_table(m, *source, request, buffer);
        CHECK(run.rows == 31);
        const auto rows = table_rows_read_back(out.str());
        REQUIRE_FALSE(rows.empty());
        CHECK(rows.back().first_line == 31);  // the far row, numbered past the block boundaries
        CHECK(rows.back().anomaly);
        CHECK(rows.back().threshold == m.threshold);
        const auto anomalous = std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.anomaly; });
        CHECK(static_cast<std::uint64_t>(anomalous) == run.anomalies);
        if (all) {
            CHECK(rows.size() == 31);
            for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].first_line == i + 1);
        } else {
            CHECK(rows.size() == run.anomalies);
        }
    }
}

TEST_CASE("score table: a table of another width or with its columns in another order is refused",
          "[analyze][table]") {
    const model::ModelFile m = table_model();
    std::ostringstream out;
    io::OutputBuffer buffer(out);
    analyze::TableScoreRequest request;
    request.name = "run.csv";
    std::istringstream narrow("a,b\n1,2\n");
    auto narrow_source = io::open_input("-", narrow);
    CHECK_THROWS_WITH(analyze::score_table(m, *narrow_source, request, buffer),
                      Catch::Contains("run.csv has 2 columns but the model was trained on 3"));
    std::istringstream swapped(table_text("b,a,c"));
    auto swapped_source = io::open_input("-", swapped);
    CHECK_THROWS_AS(analyze::score_table(m, *swapped_source, request, buffer), InputError);
    CHECK(out.str().empty());
}
