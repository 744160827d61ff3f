#include <logad/present/check_report.hpp>

#include <logad/present/score_run.hpp>
#include <logad/present/terminal.hpp>

#include <logad/error.hpp>
#include <logad/util/json_writer.hpp>

#include <fmt/core.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>
#include <streambuf>

namespace logad::present {
namespace {

class NullBuf final : public std::streambuf {
protected:
    int overflow(int c) override { return c == traits_type::eof() ? 0 : c; }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

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

pipeline::CheckVerdict check_logs(const pipeline::PipelineModel& model, const pipeline::CheckSettings& settings,
                                  const std::vector<std::string>& files, int threads, std::istream& in, std::ostream& err) {
    pipeline::CheckFindings findings;
    pipeline::CheckCollector collector(findings, settings.ignore);
    LogScoreRequest r;
    r.command = "check";
    r.files = files.empty() ? std::vector<std::string>{"-"} : files;
    r.threads = threads;
    r.quiet = true;
    r.also.push_back(&collector);
    r.caller_judges_fit = true;
    NullBuf discard;
    std::ostream records(&discard);
    const LogScoreResult totals = score_logs(model, r, in, records, err);
    // A run with nothing in it looks like no baseline at all: passing it would hide a broken job.
    if (totals.events == 0)
        throw InputError(fmt::format("no log records in {} ({} lines): nothing to check; an empty run "
                                     "cannot pass (did the job write its log elsewhere?)",
                                     files.empty() ? "stdin" : fmt::format("{}", fmt::join(files, ", ")), totals.lines));
    if (const std::string w = pipeline::window_coverage_warning(model, totals.first_ms, totals.last_ms); !w.empty())
        fmt::print(err, "logad check: warning: {}\n", w);
    if (!totals.file_order.empty()) fmt::print(err, "logad check: {}\n", totals.file_order);
    // Anomalies counted on a log of another kind mean nothing: no verdict.
    if (!totals.misfit.empty())
        throw InputError(fmt::format("the input does not fit the model: {}; {}", totals.misfit, misfit_advice(model)));
    return pipeline::judge_check(findings, settings);
}

void print_check(const pipeline::CheckVerdict& verdict, CheckReport report, bool color, std::ostream& out) {
    const bool failed = verdict.failed;
    const std::string& text = verdict.text;
    if (report == CheckReport::junit)
        fmt::print(out, "{}", junit_report(verdict));
    else if (color) {  // the verdict in colour for a person at a terminal
        const std::string word = failed ? "FAIL" : "PASS";
        const auto at = text.find(word);
        fmt::print(out, "{}{}{}", text.substr(0, at), paint(word, failed ? Paint::red : Paint::green, true),
                   text.substr(at + word.size()));
    } else
        fmt::print(out, "{}", text);
    out.flush();
}

}  // namespace logad::present
