// `logad eval`: score records + labels -> precision, recall, F1, ROC-AUC, PR-AUC. What counts
// and how is pipeline/evaluation.hpp; this reads the files and prints the result.
#include "cmd_eval.hpp"

#include "commands.hpp"

#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/pipeline/evaluation.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

namespace logad::cli {
namespace {

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\"") == std::string_view::npos; }

pipeline::EvalLabels read_labels(const std::string& path, std::istream& in) {
    auto source = io::open_input(path, in);
    io::LineReader reader(*source);
    pipeline::LabelReader labels(path);
    std::string_view line;
    while (reader.next(line)) labels.add_line(line, reader.line_number());
    return labels.finish();
}

std::string where(const std::string& file, std::uint64_t line) { return fmt::format("{}:{}", file == "-" ? "stdin" : file, line); }

std::string fmt_metric(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.4f}", v); }

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

RunFn register_eval(CLI::App& root) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = root.add_subcommand("eval", "Precision, recall, F1, ROC-AUC and PR-AUC of score records against labels");
    cmd->footer(
        "Examples:\n"
        "  logad score -m m.json --all test.log | logad eval --labels anomaly_label.csv   # BlockId,Label\n"
        "  logad eval --labels lines.csv --per all --json scores.ndjson                   # line,label\n"
        "Session labels match records' key; line labels match records' line (or row). By default\n"
        "only records of the labels' granularity count; --per window|session|all lets a record\n"
        "count for every labelled line in its first_line..last_line. An item's score is its highest\n"
        "score - threshold; an item with no record is normal with the lowest score. The best-F1\n"
        "threshold is for information only (chosen on these labels).");
    cmd->add_option("files", o->files, "score records, NDJSON from logad score (default: stdin)");
    cmd->add_option("--labels,-l", o->labels, "label CSV: `BlockId,Label` (sessions) or `line,label` (lines)")->required();
    cmd->add_option("--per", o->per, "records that count: line|window|session|all (default: as the labels)")
        ->check(CLI::IsMember({"line", "window", "session", "all"}));
    cmd->add_option("--detector", o->detector, "only records of this detector (e.g. iforest, signal:burst)");
    cmd->add_flag("--json", o->json, "one JSON object instead of text");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_eval(*o, in, out, err); };
}

int run_eval(const EvalOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    pipeline::Evaluation eval(read_labels(o.labels, in), o.per, o.detector);
    const std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
    for (const std::string& file : files) {
        auto source = io::open_input(file, in);
        io::LineReader reader(*source);
        std::string_view text;
        while (reader.next(text)) {
            if (blank(text)) continue;
            const std::string at = where(file, reader.line_number());
            eval.add(pipeline::read_score_line(text, at), at);
        }
    }
    const pipeline::EvalResult r = eval.finish();
    const model::Confusion& c = r.counts;
    const char* threshold_is = r.best_in_score_units ? "score" : "score - threshold";
    if (o.json) {
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
    return k_exit_ok;
}

}  // namespace logad::cli
