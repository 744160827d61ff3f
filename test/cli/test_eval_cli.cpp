// `logad eval` through the real binary, on small hand-made records whose metrics are worked out
// by hand in the comments.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using logad::test::run_logad;
using nlohmann::json;

namespace {

json eval_json(const std::vector<std::string>& args, const std::string& records) {
    std::vector<std::string> all = {"eval", "--json"};
    all.insert(all.end(), args.begin(), args.end());
    const auto r = run_logad(all, records);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

}  // namespace

TEST_CASE("eval: session labels matched by key, items without a record are normal", "[cli][eval]") {
    const std::string labels = logad::test::write_temp("sessions.csv", "BlockId,Label\nblk_a,Anomaly\nblk_b,Normal\nblk_c,Anomaly\n"
                                                          "blk_d,Normal\nblk_e,Normal\n");
    // Margins (score - 0.5): a .4 (anomaly), b .1 (anomaly), c -.1, d -.2, e no record (-inf).
    // A window record and a session nobody labelled do not count.
    const std::string records =
        R"({"per":"session","detector":"iforest","score":0.9,"threshold":0.5,"anomaly":true,"key":"blk_a","reasons":[]})" "\n"
        R"({"per":"session","detector":"iforest","score":0.6,"threshold":0.5,"anomaly":true,"key":"blk_b","reasons":[]})" "\n"
        R"({"per":"session","detector":"iforest","score":0.4,"threshold":0.5,"anomaly":false,"key":"blk_c","reasons":[]})" "\n"
        R"({"per":"session","detector":"iforest","score":0.3,"threshold":0.5,"anomaly":false,"key":"blk_d","reasons":[]})" "\n"
        R"({"per":"session","detector":"iforest","score":0.8,"threshold":0.5,"anomaly":true,"key":"blk_z","reasons":[]})" "\n"
        R"({"per":"window","detector":"iforest","score":0.9,"threshold":0.5,"anomaly":true,"first_line":1,"last_line":9,"reasons":[]})" "\n";
    const json j = eval_json({"--labels", labels}, records);
    CHECK(j["labels"] == "session");
    CHECK(j["items"] == 5);
    CHECK(j["anomalous"] == 2);
    CHECK(j["tp"] == 1);
    CHECK(j["fp"] == 1);
    CHECK(j["fn"] == 1);
    CHECK(j["tn"] == 2);
    CHECK(j["items_without_record"] == 1);
    CHECK(j["records_unmatched"] == 1);
    CHECK(j["records_filtered"] == 1);
    CHECK(j["precision"].get<double>() == Approx(0.5));
    CHECK(j["recall"].get<double>() == Approx(0.5));
    CHECK(j["f1"].get<double>() == Approx(0.5));
    // Pairs (anomaly above normal): a beats b, d, e; c beats d, e -> 5 of 6.
    CHECK(j["roc_auc"].get<double>() == Approx(5.0 / 6.0));
    // Ranked a+ b- c+: recall steps of 1/2 at precision 1 and 2/3.
    CHECK(j["pr_auc"].get<double>() == Approx(0.5 * 1.0 + 0.5 * 2.0 / 3.0));
    // Best F1 cuts below c: precision 2/3, recall 1, F1 0.8, at c's raw score 0.4.
    CHECK(j["best_f1"]["f1"].get<double>() == Approx(0.8));
    CHECK(j["best_f1"]["threshold"].get<double>() == Approx(0.4));
    CHECK(j["best_f1"]["threshold_is"] == "score");
}

TEST_CASE("eval: line labels - a window record counts for its lines only with --per", "[cli][eval]") {
    const std::string labels = logad::test::write_temp("lines.csv", "line,label\n1,0\n2,0\n3,1\n4,1\n5,0\n6,0\n");
    const std::string records =
        R"({"per":"line","detector":"iforest","score":0.7,"threshold":0.6,"anomaly":true,"line":3,"first_line":3,"last_line":3,"reasons":[]})" "\n"
        R"({"per":"window","detector":"signal:burst","score":2,"threshold":1,"anomaly":true,"first_line":4,"last_line":5,"reasons":["x"]})" "\n";
    const std::string file = logad::test::write_temp("records.ndjson", records);

    // Default: line records only. Line 3 caught, line 4 missed.
    const json j = eval_json({"--labels", labels, file}, "");
    CHECK(j["per"] == "line");
    CHECK(j["tp"] == 1);
    CHECK(j["fn"] == 1);
    CHECK(j["fp"] == 0);
    CHECK(j["tn"] == 4);
    CHECK(j["precision"].get<double>() == Approx(1.0));
    CHECK(j["recall"].get<double>() == Approx(0.5));

    // --per all: the window marks lines 4 (right) and 5 (wrong).
    const json a = eval_json({"--labels", labels, "--per", "all", file}, "");
    CHECK(a["tp"] == 2);
    CHECK(a["fp"] == 1);
    CHECK(a["fn"] == 0);
    CHECK(a["tn"] == 3);
    CHECK(a["recall"].get<double>() == Approx(1.0));
    CHECK(a["precision"].get<double>() == Approx(2.0 / 3.0));
    // Margins: 3 -> .1, 4 and 5 -> 1 (a tie), the rest -inf. 4 beats 1, 2, 6 and ties 5 (3.5);
    // 3 beats 1, 2, 6 (3): 6.5 of 8 pairs.
    CHECK(a["roc_auc"].get<double>() == Approx(6.5 / 8.0));
    CHECK(a["best_f1"]["threshold_is"] == "score - threshold");
}

TEST_CASE("eval: table records by row, labels without a header", "[cli][eval]") {
    const std::string labels = logad::test::write_temp("rows.csv", "1,1\n2,0\n3,0\n4,1\n");
    const std::string records = "{\"row\":1,\"score\":0.9,\"threshold\":0.5,\"anomaly\":true}\n"
                                "{\"row\":2,\"score\":0.2,\"threshold\":0.5,\"anomaly\":false}\n"
                                "{\"row\":3,\"score\":0.6,\"threshold\":0.5,\"anomaly\":true}\n"
                                "{\"row\":4,\"score\":0.1,\"threshold\":0.5,\"anomaly\":false}\n";
    const json j = eval_json({"--labels", labels}, records);
    CHECK(j["labels"] == "line");
    CHECK(j["tp"] == 1);
    CHECK(j["fp"] == 1);
    CHECK(j["fn"] == 1);
    CHECK(j["tn"] == 1);
    // Row 1 beats rows 2 and 3; row 4 beats neither: 2 of 4.
    CHECK(j["roc_auc"].get<double>() == Approx(0.5));

    const auto text = run_logad({"eval", "--labels", labels}, records);
    CHECK(text.status == 0);
    CHECK_THAT(text.out, Catch::Contains("precision   0.5000"));
    CHECK_THAT(text.out, Catch::Contains("ROC-AUC     0.5000"));
    CHECK_THAT(text.out, Catch::Contains("for information only"));
}

TEST_CASE("eval: bad labels and bad records exit 2 with a message", "[cli][eval]") {
    const std::string bad = logad::test::write_temp("bad.csv", "BlockId,Label\nblk_1,maybe\n");
    auto r = run_logad({"eval", "--labels", bad}, "");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("Anomaly/Normal"));

    const std::string good = logad::test::write_temp("good.csv", "BlockId,Label\nblk_1,Anomaly\n");
    r = run_logad({"eval", "--labels", good}, "not json\n");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("NDJSON"));

    r = run_logad({"eval"}, "");
    CHECK(r.status == 2);
}
