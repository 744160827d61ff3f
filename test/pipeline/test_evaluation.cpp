// eval's judgement without the CLI: labels read line by line, records matched to items.
#include <logad/pipeline/evaluation.hpp>

#include <logad/error.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace logad;
using namespace logad::pipeline;

namespace {

EvalLabels labels_of(const std::string& csv) {
    LabelReader reader("labels.csv");
    std::istringstream in(csv);
    std::string line;
    std::uint64_t n = 0;
    while (std::getline(in, line)) reader.add_line(line, ++n);
    return reader.finish();
}

EvalResult evaluate(const std::string& csv, const std::vector<std::string>& records, std::string per = "",
                    std::string detector = "") {
    Evaluation e(labels_of(csv), std::move(per), std::move(detector));
    for (const auto& r : records) e.add(read_score_line(r, "t"), "t");
    return e.finish();
}

}  // namespace

TEST_CASE("evaluation: labels files, session and line, with and without a header", "[pipeline][evaluation]") {
    const EvalLabels s = labels_of("BlockId,Label\nblk_a,Anomaly\nblk_b,Normal\nblk_a,Normal\n");
    CHECK_FALSE(s.by_line);
    CHECK(s.keys == std::vector<std::string>{"blk_a", "blk_b"});
    CHECK(s.truth == std::vector<bool>{true, false});  // listed twice: anomalous when either says so
    const EvalLabels l = labels_of("9,0\n3,1\n9,yes\n");
    CHECK(l.by_line);
    CHECK(l.lines == std::vector<std::uint64_t>{3, 9});
    CHECK(l.truth == std::vector<bool>{true, true});
    CHECK(labels_of("line,label\n4,normal\n").by_line);

    CHECK_THROWS_WITH(labels_of("blk_a,Anomaly\nblk_b,maybe\n"), Catch::Contains("labels.csv:2: expected `id,label`"));
    CHECK_THROWS_WITH(labels_of("line,label\nx,1\n"), Catch::Contains("labels.csv:2: 'x' is not a line number"));
    CHECK_THROWS_WITH(labels_of("BlockId,Label\n"), Catch::Contains("holds no labels"));
}

TEST_CASE("evaluation: session records by key, the best threshold in score units", "[pipeline][evaluation]") {
    const std::string csv = "BlockId,Label\nblk_a,Anomaly\nblk_b,Anomaly\nblk_c,Normal\nblk_d,Normal\n";
    const EvalResult r = evaluate(csv, {
        R"({"per":"session","detector":"iforest","score":0.9,"threshold":0.5,"anomaly":true,"key":"blk_a"})",
        R"({"per":"session","detector":"iforest","score":0.4,"threshold":0.5,"anomaly":false,"key":"blk_b"})",
        R"({"per":"session","detector":"iforest","score":0.6,"threshold":0.5,"anomaly":true,"key":"blk_c"})",
        R"({"per":"session","detector":"iforest","score":0.9,"threshold":0.5,"anomaly":true,"key":"blk_zz"})",
        R"({"per":"window","detector":"iforest","score":0.9,"threshold":0.5,"anomaly":true,"first_line":1,"last_line":9})",
    });
    CHECK(r.per == "session");
    CHECK(r.items == 4);
    CHECK(r.anomalous == 2);
    CHECK(r.records == 5);
    CHECK(r.used == 3);
    CHECK(r.unmatched == 1);
    CHECK(r.filtered == 1);
    CHECK(r.items_without_record == 1);
    CHECK(r.counts.tp == 1);
    CHECK(r.counts.fp == 1);
    CHECK(r.counts.fn == 1);
    CHECK(r.counts.tn == 1);
    // a 0.9, b 0.4, c 0.6, d -inf: anomalies rank first and third of four.
    CHECK(r.roc_auc == Approx(0.75));
    CHECK(r.best_in_score_units);
}

TEST_CASE("evaluation: a window record counts for its lines with per all, and margins when thresholds differ", "[pipeline][evaluation]") {
    const std::string csv = "line,label\n3,1\n4,1\n5,0\n8,0\n";
    const std::vector<std::string> records = {
        R"({"per":"line","detector":"iforest","score":0.7,"threshold":0.6,"anomaly":true,"line":3,"first_line":3,"last_line":3})",
        R"({"per":"window","detector":"signal:burst","score":2,"threshold":1,"anomaly":true,"first_line":4,"last_line":5})",
    };
    const EvalResult lines_only = evaluate(csv, records);
    CHECK(lines_only.per == "line");
    CHECK(lines_only.used == 1);
    CHECK(lines_only.filtered == 1);
    CHECK(lines_only.counts.tp == 1);

    const EvalResult all = evaluate(csv, records, "all");
    CHECK(all.used == 2);
    CHECK(all.counts.tp == 2);
    CHECK(all.counts.fp == 1);  // line 5, inside the window
    CHECK_FALSE(all.best_in_score_units);

    const EvalResult burst = evaluate(csv, records, "all", "signal:burst");
    CHECK(burst.used == 1);
    CHECK(burst.filtered == 1);
}

TEST_CASE("evaluation: table rows are line records, and incidents alone are refused", "[pipeline][evaluation]") {
    const EvalResult t = evaluate("line,label\n1,1\n2,0\n", {R"({"row":1,"score":0.9,"threshold":0.5,"anomaly":true})",
                                                              R"({"row":2,"score":0.2,"threshold":0.5,"anomaly":false})"});
    CHECK(t.counts.tp == 1);
    CHECK(t.counts.tn == 1);
    CHECK(t.roc_auc == Approx(1.0));

    CHECK_THROWS_WITH(evaluate("1,1\n", {R"({"per":"incident","incident":1,"state":"open"})"}),
                      Catch::Contains("only incident records"));
    CHECK_THROWS_WITH(evaluate("1,1\n", {R"({"per":"line","detector":"iforest"})"}), Catch::Contains("t: a score record needs a numeric \"score\""));
}
