// `logad eval`'s figures as text and as JSON, and its warnings.
#include <logad/present/evaluation_text.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace {

logad::pipeline::EvalResult result() {
    logad::pipeline::EvalResult r;
    r.per = "session";
    r.items = 10;
    r.anomalous = 2;
    r.items_without_record = 3;
    r.records = 12;
    r.used = 7;
    r.unmatched = 5;
    r.counts = {2, 1, 0, 7};
    r.roc_auc = 0.95;
    r.pr_auc = std::nan("");
    r.best = {0.4, 1.0, 1.0, 1.0};
    r.best_threshold = 0.25;
    return r;
}

}  // namespace

TEST_CASE("eval text: counts, precision, recall, F1, the AUCs (n/a when undefined) and the best F1", "[present][eval]") {
    std::ostringstream out, err;
    logad::present::print_evaluation(result(), false, out, err);
    CHECK(out.str() == "items       10 sessions (2 anomalous), records of per session: 7 used, 5 matching no item\n"
                       "            3 items had no record and count as normal with the lowest score\n"
                       "counts      tp 2  fp 1  fn 0  tn 7\n"
                       "precision   0.6667\nrecall      1.0000\nF1          0.8000\n"
                       "ROC-AUC     0.9500\nPR-AUC      n/a\n"
                       "best F1     1.0000 (precision 1.0000, recall 1.0000) at score - threshold >= 0.25, for information only\n");
    CHECK(err.str().empty());
}

TEST_CASE("eval JSON: one object, an undefined AUC is null, and warnings when no record counted", "[present][eval]") {
    std::ostringstream out, err;
    logad::pipeline::EvalResult r = result();
    r.used = 0;
    logad::present::print_evaluation(r, true, out, err);
    const auto j = nlohmann::json::parse(out.str());
    CHECK(j.at("tp") == 2);
    CHECK(j.at("roc_auc") == 0.95);
    CHECK(j.at("pr_auc").is_null());
    CHECK(j.at("best_f1").at("threshold_is") == "score - threshold");
    CHECK(err.str() == "logad eval: warning: none of 12 records matched a labelled item (per session; try --per all)\n");
    r.records = 0;
    std::ostringstream out2, err2;
    logad::present::print_evaluation(r, true, out2, err2);
    CHECK(err2.str() == "logad eval: warning: no score records read; every item counts as normal\n");
}
