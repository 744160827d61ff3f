// `logad feedback -m MODEL --normal TARGET... --anomaly TARGET...`, `--list`, `--remove ID`,
// `--prune-expired`. What a TARGET names: analyze/verdict_targets.hpp.
#include "cmd_feedback.hpp"

#include "cmd_train.hpp"
#include "commands.hpp"
#include "input_files.hpp"
#include "log_pipeline.hpp"

#include <logad/analyze/model_verdicts.hpp>
#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/atomic_file.hpp>  // sweep_stale_temp_files
#include <logad/util/civil_time.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

namespace fs = std::filesystem;

// Says that another logad holds the model (every read-modify-write of it holds its lock).
analyze::LockWait say_waiting(const char* cmd, bool quiet, std::ostream& err) {
    return [cmd, quiet, &err](const std::string& path) {
        if (!quiet) fmt::print(err, "logad {}: waiting for another logad to finish changing {}\n", cmd, path);
    };
}

// What `logad feedback` says of the verdicts as they are given.
class VerdictPrinter final : public analyze::VerdictChangeObserver {
public:
    VerdictPrinter(bool quiet, std::int64_t until, std::ostream& err) : m_quiet(quiet), m_until(until), m_err(err) {}
    void waiting(const std::string& path) override { say_waiting("feedback", m_quiet, m_err)(path); }
    void note(const std::string& text) override {
        if (!m_quiet) fmt::print(m_err, "logad feedback: {}\n", text);
    }
    void added(std::uint64_t id, pipeline::Verdict verdict, const std::string& scope) override {
        if (!m_quiet)
            fmt::print(m_err, "logad feedback: {} {}: {}{}\n", verdict == pipeline::Verdict::normal ? "normal " : "anomaly",
                       id, scope, m_until == k_no_time ? "" : " until " + util::rfc3339_ms(m_until));
    }

private:
    bool m_quiet;
    std::int64_t m_until;
    std::ostream& m_err;
};

// One verdict as `--list` prints it: the stored fields, its scope in words and its status.
std::string listed(const pipeline::VerdictEntry& v, const nlohmann::json& stored, std::int64_t now) {
    nlohmann::json j = stored;
    j["scope"] = v.scope_text();
    const char* status = v.state == pipeline::VerdictState::absorbed ? "absorbed"
                         : v.state == pipeline::VerdictState::retired ? "retired"
                         : v.expired(now)                             ? "expired"
                         : v.silenced == 0                            ? "never used"
                                                                      : "active";
    j["status"] = status;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

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
        VerdictPrinter printer(o.quiet, until, err);
        analyze::VerdictChangeResult result = analyze::change_verdicts(o.model, change, in, &printer);
        feedback = std::move(result.feedback);
        if (!o.quiet)
            fmt::print(err, "logad feedback: {} verdicts recorded, {} removed, {} held in {}\n", result.added,
                       result.removed, feedback.verdicts.size(), o.model);
    } else {
        feedback = pipeline::Feedback::from_document(analyze::load_log_model_document(o.model), o.model);
    }
    if (o.list) {
        const nlohmann::json held = feedback.to_json();
        for (std::size_t i = 0; i < feedback.verdicts.size(); ++i)
            fmt::print(out, "{}\n", listed(feedback.verdicts[i], held.at("verdicts").at(i), now));
    }
    return k_exit_ok;
}

int update_model(const UpdateRequest& r, std::istream& in, std::ostream& err) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto old = pipeline::PipelineModel::from_document(analyze::load_log_model_document(r.model), r.model);  // verdicts kept
    const std::string output = r.output.empty() ? r.model : r.output;
    // Files an update of an older logad left behind when killed (it wrote a miner state and a model
    // beside the output, named with its pid): removed when that process is gone.
    util::sweep_stale_temp_files(fs::path(output).parent_path(), fs::path(output).filename().string() + ".update-");

    analyze::UpdateRequest request{input_files(r.files, "train", err), r.threads, r.model};
    analyze::UpdateResult result = analyze::update(old, request, in);
    const pipeline::PipelineModel& m = result.model;
    const std::size_t carried = analyze::save_update(result, r.model, output, say_waiting("train", r.quiet, err));
    if (!r.quiet) {
        fmt::print(err, "logad train: update with {} lines, {} records, {} new templates; refitted on them and {} "
                        "events of the model's training history{}{}\n",
                   result.lines, result.records, result.new_templates, old.history.events(),
                   old.history.empty() ? " (none: the model predates it, so the detectors learn the new logs only)" : "",
                   result.taught_lines == 0 ? std::string()
                                            : fmt::format(", and {} lines of {} normal verdicts", result.taught_lines,
                                                          result.taught_verdicts));
        print_fit_summary(m, result.parts, output,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), err);
        fmt::print(err, "logad train: updated {} (templates, settings and {} feedback verdicts kept; {} carried into the model "
                        "and marked absorbed)\n",
                   output, m.feedback.verdicts.size(), carried);
        std::size_t exceptions = 0;
        for (const auto& v : m.feedback.verdicts)
            exceptions += v.state == pipeline::VerdictState::active && result.verdict_examples.contains(v.id);
        if (exceptions > 0)
            fmt::print(err, "logad train: {} line verdicts stay exceptions: the refitted model still alerts on their lines "
                            "(taught as often as scoring has silenced them; a later update tries again)\n",
                       exceptions);
    }
    return k_exit_ok;
}

}  // namespace logad::cli
