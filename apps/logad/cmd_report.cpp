// `logad report`: score and incident records (and optionally the events) -> one self-contained
// HTML page: timeline of log volume and scores, the largest incidents, top anomalies with
// reasons and examples, templates.
#include "commands.hpp"

#include <logad/analyze/score_files.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/present/input_files.hpp>
#include <logad/present/report_html.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

namespace logad::cli {
namespace {

struct ReportOptions {
    std::vector<std::string> files;
    std::vector<std::string> events;
    std::string output;
    std::string title = "logad report";
    bool quiet = false;
};

int run_report(const ReportOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    const analyze::ReportInput input = analyze::read_report_input(present::input_files(o.files, "report", err), o.events, in);
    const pipeline::ReportData& data = input.data;
    const std::uint64_t skipped = input.skipped;
    const std::string html = present::render_report_html(data, o.title);
    if (o.output.empty() || o.output == "-")
        out << html;
    else
        util::write_file_atomically(o.output, html);
    if (!o.quiet)
        fmt::print(err, "logad report: {} incidents, {} records, {} anomalies, {} events{}{}\n", data.incidents, data.records,
                   data.anomalies, data.events,
                   skipped ? fmt::format(", {} lines skipped (not records or events)", skipped) : "",
                   o.output.empty() || o.output == "-" ? "" : "; wrote " + o.output);
    return k_exit_ok;
}

}  // namespace

RunFn register_report(CLI::App& root) {
    auto o = std::make_shared<ReportOptions>();
    CLI::App* cmd = root.add_subcommand("report", "Incident and score records (and events) -> one self-contained HTML report");
    cmd->footer(
        "Examples:\n"
        "  logad score -m model.json --all app.log > scores.ndjson && logad report -o report.html scores.ndjson\n"
        "  logad parse app.log > events.ndjson; logad score -m m.json --all events.ndjson | logad report --events events.ndjson -o r.html\n"
        "The page has no script and loads nothing from the network; all log text is escaped.");
    cmd->add_option("files", o->files, "incident and score records from `logad score` (default: stdin)");
    cmd->add_option("--events,-e", o->events, "events from `logad parse`, for log volume and template counts");
    cmd->add_option("--output,-o", o->output, "HTML file to write atomically (default: stdout)");
    cmd->add_option("--title", o->title, "page title")->capture_default_str();
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_report(*o, in, out, err); };
}

}  // namespace logad::cli
