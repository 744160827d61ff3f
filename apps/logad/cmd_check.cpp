// `logad check -m MODEL RUN.log...`: scores the run's logs (score_logs, in this process, with the
// model's feedback verdicts); pipeline/check.hpp sorts the anomalies into the three checks and
// gives the verdict; this prints it as text or JUnit XML.
//
// --report text: the report for people on stdout. --report junit: one <testsuite name="logad
// check"> with a <testcase> per check, a <failure> holding the details, and the text report in
// <system-out>; all log text is XML-escaped.
#include "cmd_check.hpp"

#include "commands.hpp"
#include "terminal.hpp"
#include "log_pipeline.hpp"

#include <logad/error.hpp>
#include <logad/pipeline/check.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/json_writer.hpp>
#include <logad/util/versioned_file.hpp>

#include <CLI/CLI.hpp>
#include <iostream>
#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <limits>
#include <ostream>
#include <streambuf>

namespace logad::cli {
namespace {

class NullBuf final : public std::streambuf {
protected:
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

std::string junit_report(const pipeline::CheckVerdict& v) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += fmt::format("<testsuite name=\"logad check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n", v.cases.size(),
                       v.failures());
    for (const pipeline::CheckCase& c : v.cases) {
        xml += fmt::format("  <testcase classname=\"logad.check\" name=\"{}\"", c.name);
        if (!c.failed) {
            xml += "/>\n";
            continue;
        }
        xml += fmt::format(">\n    <failure type=\"{}\" message=\"{}\">{}</failure>\n  </testcase>\n", xml_escape(c.name),
                           xml_escape(c.what), xml_escape(c.details));
    }
    xml += "  <system-out>" + xml_escape(v.text) + "</system-out>\n</testsuite>\n";
    return xml;
}

// Length of the UTF-8 sequence at s[i] XML 1.0 allows (valid, and not U+FFFE or U+FFFF), or 0.
std::size_t xml_utf8_length(std::string_view s, std::size_t i) {
    const std::size_t n = util::utf8_sequence_length(s, i);
    const bool non_character = n == 3 && s.substr(i, 2) == "\xEF\xBF" && (s[i + 2] == '\xBE' || s[i + 2] == '\xBF');
    return non_character ? 0 : n;
}

}  // namespace

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        switch (c) {
        case '&': out += "&amp;"; ++i; continue;
        case '<': out += "&lt;"; ++i; continue;
        case '>': out += "&gt;"; ++i; continue;
        case '"': out += "&quot;"; ++i; continue;
        case '\'': out += "&apos;"; ++i; continue;
        default: break;
        }
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        const std::size_t n = xml_utf8_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

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
    pipeline::CheckFindings findings;
    pipeline::CheckCollector collector(findings, settings.ignore);
    LogScoreRequest r;
    r.command = "check";
    r.logs.parse.files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
    r.threads = o.threads;
    r.quiet = true;
    r.also.push_back(&collector);
    LogScoreTotals totals;
    r.totals = &totals;
    NullBuf discard;
    std::ostream records(&discard);
    std::string misfit;
    r.misfit = &misfit;
    score_logs(model, r, in, records, err);
    // A run with nothing in it looks like no baseline at all: passing it would hide a broken job.
    if (totals.events == 0)
        throw InputError(fmt::format("no log records in {} ({} lines): nothing to check; an empty run "
                                     "cannot pass (did the job write its log elsewhere?)",
                                     o.files.empty() ? "stdin" : fmt::format("{}", fmt::join(o.files, ", ")), totals.lines));
    if (const std::string w = pipeline::window_coverage_warning(model, totals.first_ms, totals.last_ms); !w.empty())
        fmt::print(err, "logad check: warning: {}\n", w);
    if (!totals.file_order.empty()) fmt::print(err, "logad check: {}\n", totals.file_order);
    // Anomalies counted on a log of another kind mean nothing: no verdict.
    if (!misfit.empty()) throw InputError(fmt::format("the input does not fit the model: {}; {}", misfit, misfit_advice(model)));

    const pipeline::CheckVerdict verdict = pipeline::judge_check(findings, settings);
    const bool failed = verdict.failed;
    const std::string& text = verdict.text;
    if (o.report == "junit")
        fmt::print(out, "{}", junit_report(verdict));
    else if (&out == &std::cout && color_on(1)) {  // the verdict in colour for a person at a terminal
        const std::string word = failed ? "FAIL" : "PASS";
        const auto at = text.find(word);
        fmt::print(out, "{}{}{}", text.substr(0, at), paint(word, failed ? Paint::red : Paint::green, true),
                   text.substr(at + word.size()));
    } else
        fmt::print(out, "{}", text);
    out.flush();
    return failed ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
