#include <logad/present/evaluation_text.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>

namespace logad::present {
namespace {

std::string fmt_metric(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.4f}", v); }

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

void print_evaluation(const pipeline::EvalResult& r, bool json, std::ostream& out, std::ostream& err) {
    const model::Confusion& c = r.counts;
    const char* threshold_is = r.best_in_score_units ? "score" : "score - threshold";
    if (json) {
        nlohmann::json j = {
            {"labels", r.by_line ? "line" : "session"},
            {"per", r.per},
            {"items", r.items},
            {"anomalous", r.anomalous},
            {"records", r.records},
            {"records_used", r.used},
            {"records_unmatched", r.unmatched},
            {"records_filtered", r.filtered},
            {"items_without_record", r.items_without_record},
            {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}, {"tn", c.tn},
            {"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()},
            {"roc_auc", json_number(r.roc_auc)}, {"pr_auc", json_number(r.pr_auc)},
            {"best_f1", {{"f1", r.best.f1}, {"precision", r.best.precision}, {"recall", r.best.recall},
                         {"threshold", json_number(r.best_threshold)}, {"threshold_is", threshold_is}}},
        };
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
        fmt::print(out, "items       {} {} ({} anomalous), records of per {}: {} used, {} matching no item\n", r.items,
                   r.by_line ? "lines" : "sessions", r.anomalous, r.per, r.used, r.unmatched);
        fmt::print(out, "            {} items had no record and count as normal with the lowest score\n", r.items_without_record);
        fmt::print(out, "counts      tp {}  fp {}  fn {}  tn {}\n", c.tp, c.fp, c.fn, c.tn);
        fmt::print(out, "precision   {:.4f}\nrecall      {:.4f}\nF1          {:.4f}\n", c.precision(), c.recall(), c.f1());
        fmt::print(out, "ROC-AUC     {}\nPR-AUC      {}\n", fmt_metric(r.roc_auc), fmt_metric(r.pr_auc));
        if (r.anomalous > 0 && r.anomalous < r.items)
            fmt::print(out, "best F1     {:.4f} (precision {:.4f}, recall {:.4f}) at {} >= {:.6g}, for information only\n", r.best.f1,
                       r.best.precision, r.best.recall, threshold_is, r.best_threshold);
    }
    if (r.records == 0)
        fmt::print(err, "logad eval: warning: no score records read; every item counts as normal\n");
    else if (r.used == 0)
        fmt::print(err, "logad eval: warning: none of {} records matched a labelled item (per {}; try --per all)\n", r.records,
                   r.per);
}

}  // namespace logad::present
