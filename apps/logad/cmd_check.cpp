// `logad check -m MODEL RUN.log...`: scores the run's logs (score_logs, in this process, with the
// model's feedback verdicts) and sorts the anomalies into three checks:
//   new templates      signal:new_template   messages the baseline never produced
//   surging templates  signal:burst          templates far more frequent than in the baseline
//   other anomalies    everything else (detectors, silence, level shifts, parameters...)
// The records left after --ignore roll up into incidents (pipeline/incidents.hpp), and the run
// fails when more than --max-incidents remain (or, given alone, more than --max-anomalies
// records); then every check that found something fails too, so a CI report points at the kind
// of change. Records of an --ignore'd template do not count.
//
// --report text: a report for people on stdout. --report junit: one <testsuite name="logad check">
// with a <testcase> per check, a <failure> holding the details, and the text report in
// <system-out>; all log text is XML-escaped.
#include "cmd_check.hpp"

#include "commands.hpp"
#include "terminal.hpp"
#include "log_pipeline.hpp"

#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/json_writer.hpp>
#include <logad/util/versioned_file.hpp>

#include <CLI/CLI.hpp>
#include <iostream>
#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <streambuf>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

constexpr std::size_t k_keep = 10000;  // anomalies kept for the top list; the rest are counted

class NullBuf final : public std::streambuf {
protected:
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

struct TemplateFinding {
    std::string text;
    std::uint64_t records = 0;
    std::uint64_t first_line = 0;
    std::string example;  // a message, or the first reason
};

struct Findings {
    std::map<std::uint32_t, TemplateFinding> fresh, surging;
    std::vector<pipeline::ScoreRecord> others;
    std::uint64_t fresh_records = 0, surging_records = 0, other_records = 0, ignored = 0;
    std::uint64_t incidents = 0;
    std::uint64_t total() const { return fresh_records + surging_records + other_records; }
};

// Counts the incidents the counted records roll up into.
class IncidentCount final : public Sink<pipeline::Incident> {
public:
    explicit IncidentCount(std::uint64_t& n) : m_n(n) {}
    void push(pipeline::Incident& i) override { m_n += i.state == pipeline::Incident::State::open; }

private:
    std::uint64_t& m_n;
};

// Log text on one report line: the first line of it, at most 200 bytes.
std::string one_line(const std::string& s) {
    constexpr std::size_t k_max = 200;
    const std::size_t end = std::min(s.find('\n'), k_max);
    return end >= s.size() ? s : s.substr(0, end) + " ...";
}

std::string plural(std::uint64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

double ratio(const pipeline::ScoreRecord& r) { return r.threshold > 0 ? r.score / r.threshold : r.score; }

class Collector final : public Sink<pipeline::ScoreRecord> {
public:
    Collector(Findings& f, const std::set<std::uint32_t>& ignore) : m_f(f), m_ignore(ignore), m_count(f.incidents), m_tracker({}, m_count) {}
    void push(pipeline::ScoreRecord& r) override {
        if (!r.anomaly) return;
        if (r.template_id != 0 && m_ignore.count(r.template_id)) {
            ++m_f.ignored;
            return;
        }
        m_tracker.push(r);
        if (r.detector == "signal:new_template" || r.detector == "signal:burst") {
            const bool fresh = r.detector == "signal:new_template";
            auto& t = (fresh ? m_f.fresh : m_f.surging)[r.template_id];
            ++(fresh ? m_f.fresh_records : m_f.surging_records);
            if (t.records++ == 0) {
                t.text = r.template_text;
                t.first_line = r.first_line;
                t.example = fresh && !r.message.empty() ? r.message : r.reasons.empty() ? "" : r.reasons.front();
            }
            return;
        }
        ++m_f.other_records;
        if (m_f.others.size() < k_keep) m_f.others.push_back(r);
    }

private:
    Findings& m_f;
    const std::set<std::uint32_t>& m_ignore;
    IncidentCount m_count;
    pipeline::IncidentTracker m_tracker;
};

std::string lines_of(const pipeline::ScoreRecord& r) {
    return r.first_line == r.last_line ? fmt::format("line {}", r.first_line)
                                       : fmt::format("lines {}-{}", r.first_line, r.last_line);
}

std::string describe_template(std::uint32_t id, const TemplateFinding& t) {
    return t.text.empty() ? fmt::format("template {}", id) : fmt::format("template {} `{}`", id, one_line(t.text));
}

// The body of each check, as plain text lines.
std::string fresh_details(const Findings& f) {
    std::string s;
    for (const auto& [id, t] : f.fresh)
        s += fmt::format("  {}: {}, first at line {}: {}\n", describe_template(id, t), plural(t.records, "line", "lines"), t.first_line,
                         one_line(t.example));
    return s;
}

std::string surging_details(const Findings& f) {
    std::string s;
    for (const auto& [id, t] : f.surging)
        s += fmt::format("  {}: {}, first at line {}: {}\n", describe_template(id, t), plural(t.records, "window", "windows"),
                         t.first_line, one_line(t.example));
    return s;
}

std::string other_details(const Findings& f, std::size_t top) {
    std::vector<const pipeline::ScoreRecord*> sorted;
    for (const auto& r : f.others) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return ratio(*a) > ratio(*b); });
    if (sorted.size() > top) sorted.resize(top);
    std::string s;
    for (const auto* r : sorted) {
        s += fmt::format("  {} ({} {}): score {:.4g} over threshold {:.4g}\n", lines_of(*r), r->per, r->detector, r->score,
                         r->threshold);
        if (!r->message.empty()) s += fmt::format("    message: {}\n", one_line(r->message));
        for (const auto& reason : r->reasons) s += fmt::format("    - {}\n", one_line(reason));
    }
    if (f.other_records > sorted.size()) s += fmt::format("  ... and {} more\n", f.other_records - sorted.size());
    return s;
}

bool by_records(const CheckOptions& o) { return o.max_incidents < 0 && o.max_anomalies >= 0; }

std::string tolerated(const CheckOptions& o) {
    return by_records(o) ? plural(static_cast<std::uint64_t>(o.max_anomalies), "anomaly", "anomalies")
                         : plural(static_cast<std::uint64_t>(std::max<std::int64_t>(o.max_incidents, 0)), "incident", "incidents");
}

bool fails(const Findings& f, const CheckOptions& o) {
    if (by_records(o)) return f.total() > static_cast<std::uint64_t>(o.max_anomalies);
    if (o.max_anomalies >= 0 && f.total() > static_cast<std::uint64_t>(o.max_anomalies)) return true;
    return f.incidents > static_cast<std::uint64_t>(std::max<std::int64_t>(o.max_incidents, 0));
}

std::string text_report(const Findings& f, const CheckOptions& o, bool failed) {
    std::string s = fmt::format("logad check: {}: {} from {} ({} tolerated)\n", failed ? "FAIL" : "PASS",
                                plural(f.incidents, "incident", "incidents"), plural(f.total(), "anomaly record", "anomaly records"),
                                tolerated(o));
    if (!f.fresh.empty()) s += fmt::format("New templates ({}):\n{}", f.fresh.size(), fresh_details(f));
    if (!f.surging.empty()) s += fmt::format("Surging templates ({}):\n{}", f.surging.size(), surging_details(f));
    if (f.other_records > 0)
        s += fmt::format("Top anomalies ({} of {}):\n{}", std::min<std::uint64_t>(o.top, f.other_records), f.other_records,
                         other_details(f, o.top));
    if (f.ignored) s += fmt::format("Not counted: {} of --ignore'd templates\n", plural(f.ignored, "record", "records"));
    return s;
}

void junit_case(std::string& xml, const char* name, std::uint64_t found, const std::string& what, const std::string& details,
                bool failed) {
    xml += fmt::format("  <testcase classname=\"logad.check\" name=\"{}\"", name);
    if (!(failed && found > 0)) {
        xml += "/>\n";
        return;
    }
    xml += fmt::format(">\n    <failure type=\"{}\" message=\"{}\">{}</failure>\n  </testcase>\n", xml_escape(name),
                       xml_escape(what), xml_escape(details));
}

std::string junit_report(const Findings& f, const CheckOptions& o, bool failed, const std::string& text) {
    const int failures = failed ? int(!f.fresh.empty()) + int(!f.surging.empty()) + int(f.other_records > 0) : 0;
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += fmt::format("<testsuite name=\"logad check\" tests=\"3\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n", failures);
    junit_case(xml, "new templates", f.fresh.size(), fmt::format("{} the baseline never produced", plural(f.fresh.size(), "template", "templates")),
               fresh_details(f), failed);
    junit_case(xml, "surging templates", f.surging.size(),
               fmt::format("{} far more frequent than in the baseline", plural(f.surging.size(), "template", "templates")), surging_details(f), failed);
    junit_case(xml, "other anomalies", f.other_records,
               fmt::format("{} ({} tolerated in all)", plural(f.other_records, "anomaly", "anomalies"), tolerated(o)), other_details(f, o.top),
               failed);
    xml += "  <system-out>" + xml_escape(text) + "</system-out>\n</testsuite>\n";
    return xml;
}

// Length of the UTF-8 sequence at s[i] XML 1.0 allows (valid, and not U+FFFE or U+FFFF), or 0.
std::size_t xml_utf8_length(std::string_view s, std::size_t i) {
    const std::size_t n = util::utf8_sequence_length(s, i);
    const bool non_character = n == 3 && s.substr(i, 2) == "\xEF\xBF" && (s[i + 2] == '\xBE' || s[i + 2] == '\xBF');
    return non_character ? 0 : n;
}

std::string seconds(std::int64_t ms) { return fmt::format("{:g} s", static_cast<double>(ms) / 1000.0); }

// Window detectors and window signals (bursts, silences) need at least one whole window of the
// run; a shorter run is checked by its lines only, which the report alone would not show.
void warn_if_shorter_than_window(const pipeline::PipelineModel& m, const LogScoreTotals& t, std::ostream& err) {
    std::int64_t smallest = 0;
    for (const auto& part : m.parts)
        if (part.per == featurize::Granularity::window) smallest = m.train.window_ms;
    if (m.baseline.windows > 0 && m.baseline.window_ms > 0)
        smallest = smallest == 0 ? m.baseline.window_ms : std::min(smallest, m.baseline.window_ms);
    if (smallest == 0 || t.first_ms == k_no_time) return;
    const std::int64_t span = t.last_ms - t.first_ms;
    if (span < smallest)
        fmt::print(err, "logad check: warning: the run spans {} of log time, shorter than the model's smallest window "
                        "({}): window checks (counts, bursts, silences) saw no whole window; only its lines were checked\n",
                   seconds(span), seconds(smallest));
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

    Findings findings;
    const std::set<std::uint32_t> ignore(o.ignore.begin(), o.ignore.end());
    Collector collector(findings, ignore);
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
    warn_if_shorter_than_window(model, totals, err);
    if (!totals.file_order.empty()) fmt::print(err, "logad check: {}\n", totals.file_order);
    // Anomalies counted on a log of another kind mean nothing: no verdict.
    if (!misfit.empty()) throw InputError(fmt::format("the input does not fit the model: {}; {}", misfit, misfit_advice(model)));

    const bool failed = fails(findings, o);
    const std::string text = text_report(findings, o, failed);
    if (o.report == "junit")
        fmt::print(out, "{}", junit_report(findings, o, failed, text));
    else if (&out == &std::cout && color_on(1)) {  // the verdict in colour for a person at a terminal
        const std::string verdict = failed ? "FAIL" : "PASS";
        const auto at = text.find(verdict);
        fmt::print(out, "{}{}{}", text.substr(0, at), paint(verdict, failed ? Paint::red : Paint::green, true),
                   text.substr(at + verdict.size()));
    } else
        fmt::print(out, "{}", text);
    out.flush();
    return failed ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
