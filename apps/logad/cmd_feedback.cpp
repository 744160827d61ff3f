// `logad feedback -m MODEL --normal TARGET... --anomaly TARGET...`, `--list`, `--remove ID`,
// `--prune-expired`. What a TARGET names: analyze/verdict_targets.hpp; what is said of the
// verdicts: present/verdict_text.hpp.
#include "cmd_feedback.hpp"

#include "commands.hpp"

#include <logad/analyze/model_verdicts.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/present/verdict_text.hpp>
#include <logad/util/civil_time.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

namespace logad::cli {

RunFn register_feedback(CLI::App& root) {
    auto o = std::make_shared<FeedbackOptions>();
    CLI::App* cmd = root.add_subcommand("feedback", "Record verdicts on results in the model; score honours them at once");
    cmd->footer(
        "TARGET: a template id (the whole template), a score record or incident record (one NDJSON line\n"
        "of `logad score`), a log line, or a file (- for stdin) of any of these, one per line. A record's\n"
        "verdict is scoped to its template or key, its detector and, for a value, a range around it: a\n"
        "far larger value still alerts. An incident gives a verdict per record kind it holds.\n"
        "`logad score` counts the records each verdict silenced; --list shows them with their status\n"
        "(active, never used, expired, absorbed by train --update, retired).\n"
        "Examples:\n"
        "  logad feedback -m model.json --normal 2774321090\n"
        "  logad score -m model.json app.log | grep HealthCheck | logad feedback -m model.json --normal -\n"
        "  logad feedback -m model.json --normal fp.ndjson --until 2026-12-31 --note 'alice: nightly job'\n"
        "  logad feedback -m model.json --anomaly 'ERROR [main] Db: connection pool exhausted'\n"
        "  logad feedback -m model.json --list\n"
        "  logad feedback -m model.json --remove 7 --prune-expired");
    cmd->add_option("--model,-m", o->model, "model file written by logad train (rewritten atomically)")->required();
    cmd->add_option("--normal", o->normal, "TARGET is normal: stop alerting on it (repeatable)");
    cmd->add_option("--anomaly", o->anomaly, "TARGET is a true anomaly: always alert on it (repeatable)");
    cmd->add_option("--by", o->by,
                    "what a record's verdict names: auto (its scope), template (the whole template) or reason "
                    "(narrowed to its scope: reasons are never keys)")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "template", "reason"}));
    cmd->add_option("--until", o->until, "the verdicts lapse at this date (2026-12-31 or 2026-12-31T08:00:00Z)");
    cmd->add_option("--note", o->note, "who gave the verdicts and why, kept with them");
    cmd->add_flag("--list", o->list, "print the verdicts the model holds, one JSON object a line, with scope, status and "
                                     "records silenced");
    cmd->add_option("--remove", o->remove, "remove the verdict with this id (see --list; repeatable)");
    cmd->add_flag("--prune-expired", o->prune_expired, "remove expired verdicts and retired ones of older logad");
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_feedback(*o, in, out, err); };
}

int run_feedback(const FeedbackOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    const bool changes = !o.normal.empty() || !o.anomaly.empty() || !o.remove.empty() || o.prune_expired;
    if (!changes && !o.list)
        throw UsageError("give --normal TARGET or --anomaly TARGET (or --list, --remove ID, --prune-expired); see logad "
                         "feedback --help");
    const std::int64_t until = o.until.empty() ? k_no_time : pipeline::parse_date_ms(o.until);
    pipeline::Feedback feedback;
    const std::int64_t now = util::wall_clock_ms();
    if (changes) {
        analyze::VerdictChange change;
        change.normal = o.normal;
        change.anomaly = o.anomaly;
        change.by = o.by == "template" ? pipeline::VerdictBy::template_
                    : o.by == "reason" ? pipeline::VerdictBy::reason
                                       : pipeline::VerdictBy::scope;
        change.until_ms = until;
        change.note = o.note;
        change.remove = o.remove;
        change.prune_expired = o.prune_expired;
        change.now_ms = now;
        present::VerdictPrinter printer(o.quiet, until, err);
        analyze::VerdictChangeResult result = analyze::change_verdicts(o.model, change, in, &printer);
        feedback = std::move(result.feedback);
        if (!o.quiet)
            fmt::print(err, "logad feedback: {} verdicts recorded, {} removed, {} held in {}\n", result.added,
                       result.removed, feedback.verdicts.size(), o.model);
    } else {
        feedback = pipeline::Feedback::from_document(analyze::load_log_model_document(o.model), o.model);
    }
    if (o.list) present::print_verdicts(feedback, now, out);
    return k_exit_ok;
}

}  // namespace logad::cli
