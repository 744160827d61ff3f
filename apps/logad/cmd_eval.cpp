// `logad eval`: score records + labels -> precision, recall, F1, ROC-AUC, PR-AUC. What counts
// and how is pipeline/evaluation.hpp; analyze/score_files.hpp reads the files and
// present/evaluation_text.hpp prints the result.
#include "cmd_eval.hpp"

#include "commands.hpp"

#include <logad/analyze/score_files.hpp>
#include <logad/present/evaluation_text.hpp>

#include <CLI/CLI.hpp>

#include <memory>

namespace logad::cli {

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
    const pipeline::EvalResult r = analyze::evaluate_files({o.labels, o.files, o.per, o.detector}, in);
    present::print_evaluation(r, o.json, out, err);
    return k_exit_ok;
}

}  // namespace logad::cli
