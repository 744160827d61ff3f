// `logad check -m MODEL RUN.log...`: scores the run's logs in this process, with the model's
// feedback verdicts, and prints the verdict as text or JUnit XML (present/check_report.hpp).
#include "cmd_check.hpp"

#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/pipeline/check.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/present/check_report.hpp>
#include <logad/present/terminal.hpp>
#include <logad/util/versioned_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <iostream>
#include <limits>

namespace logad::cli {

RunFn register_check(CLI::App& root) {
    auto o = std::make_shared<CheckOptions>();
    CLI::App* cmd = root.add_subcommand("check", "CI gate: do a run's logs look like the baseline? exit 0 yes, 1 no");
    cmd->footer(
        "Scores the logs with the model (and its feedback) and reports new templates, surging templates\n"
        "and the top anomalies with reasons. The anomaly records roll up into incidents (as in score).\n"
        "Exit 0 when at most --max-incidents incidents remain (0 by default), 1 when more do, 2 on error,\n"
        "or when the logs do not fit the model (most lines unmatched by its format, or most records of\n"
        "templates it never saw: a log of another kind).\n"
        "Examples:\n"
        "  logad train -f '<Date> <Time> <Level> <Component>: <Content>' -o baseline.json main-run.log\n"
        "  logad check -m baseline.json test-run.log\n"
        "  logad check -m baseline.json --max-incidents 1 --ignore 2774321090 --report junit run.log > logad.xml");
    cmd->add_option("files", o->files, "the run's logs (default: stdin; .gz ok)");
    cmd->add_option("--model,-m", o->model, "baseline model written by logad train on logs")->required();
    cmd->add_option("--max-incidents", o->max_incidents, "incidents tolerated before the check fails (default 0)")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()));
    cmd->add_option("--max-anomalies", o->max_anomalies,
                    "anomaly records tolerated; alone, the check counts records instead of incidents")
        ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()));
    cmd->add_option("--ignore", o->ignore, "a template id whose anomalies do not count (repeatable, or comma-separated)")
        ->delimiter(',');
    cmd->add_option("--report", o->report, "report as text or junit (JUnit XML)")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "junit"}));
    // The old name of --report, hidden; check reads the log format from the model, so --format
    // cannot mean a log format here and stays unambiguous until it is removed.
    cmd->add_option("--format", o->old_format)->group("");
    cmd->add_option("--top", o->top, "anomalies listed in the report")->capture_default_str()->check(CLI::Range(0, 100000));
    cmd->add_option("--threads", o->threads, "worker threads, 0 = all cores")->capture_default_str()->check(CLI::Range(0, 1024));
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_check(*o, in, out, err); };
}

int run_check(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
    CheckOptions o = options;
    if (!o.old_format.empty()) {
        if (o.old_format != "text" && o.old_format != "junit")
            throw UsageError(fmt::format("--format '{}': check takes the log format from the model; the report "
                                         "format is --report text|junit",
                                         o.old_format));
        fmt::print(err, "logad check: warning: --format is deprecated and will be removed in logad 0.2; "
                        "write --report {}\n",
                   o.old_format);
        o.report = o.old_format;
    }
    const auto doc = util::load_versioned(o.model, util::k_model_file);
    if (!pipeline::PipelineModel::is_pipeline(doc))
        throw UsageError(fmt::format("{} was trained on a numeric table; check needs a model trained on logs", o.model));
    auto model = pipeline::PipelineModel::from_json(doc.at("pipeline"), o.model);
    model.feedback = pipeline::Feedback::from_document(doc, o.model);

    pipeline::CheckSettings settings;
    settings.max_incidents = o.max_incidents;
    settings.max_anomalies = o.max_anomalies;
    settings.ignore.insert(o.ignore.begin(), o.ignore.end());
    settings.top = o.top;
    const pipeline::CheckVerdict verdict = present::check_logs(model, settings, o.files, o.threads, in, err);
    const bool color = &out == &std::cout && present::color_on(1);  // the verdict in colour for a person at a terminal
    present::print_check(verdict, o.report == "junit" ? present::CheckReport::junit : present::CheckReport::text, color, out);
    return verdict.failed ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
