// `logad report`: score and incident records (and optionally the events) -> one self-contained
// HTML page: timeline of log volume and scores, the largest incidents, top anomalies with
// reasons and examples, templates.
#include "commands.hpp"
#include "input_files.hpp"
#include "report_html.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/io/paths.hpp>

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

// Reads NDJSON lines into `data` with `add`; counts lines `add` refuses.
template <class Add>
std::uint64_t read_lines(const std::string& file, std::istream& in, Add add) {
    auto source = io::open_input(file, in);
    io::LineReader reader(*source, std::size_t(1) << 24);
    std::string_view line;
    std::uint64_t refused = 0;
    while (reader.next(line))
        if (line.find_first_not_of(" \t") != std::string_view::npos && !add(line)) ++refused;
    return refused;
}

int run_report(const ReportOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    ReportData data;
    std::uint64_t skipped = 0;
    for (const auto& f : input_files(o.files, "report", err))
        skipped += read_lines(f, in, [&](std::string_view l) { return data.add_record(l); });
    for (const auto& f : o.events) skipped += read_lines(f, in, [&](std::string_view l) { return data.add_event(l); });
    if (data.records == 0 && data.events == 0 && data.incidents + data.opened == 0)
        throw InputError("no score or incident records in the input; give the output of `logad score` (with --records for "
                         "the anomaly records, --all for the full timeline)");
    const std::string html = render_report_html(data, o.title);
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
