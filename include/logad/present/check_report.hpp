#pragma once
// `logad check` on logs as people and CI servers see it. The run's logs are scored as `score`
// scores them (score_run.hpp; the records themselves are not written); pipeline/check.hpp sorts
// the anomalies into the three checks and gives the verdict; this prints it as text (the verdict
// word in colour when asked) or as JUnit XML: one <testsuite name="logad check"> with a
// <testcase> per check, a <failure> holding the details, and the text report in <system-out>;
// all log text is XML-escaped.
#include <logad/export.hpp>
#include <logad/pipeline/check.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace logad::present {

// Scores `files` (none: stdin) with `model` and judges them. Warnings (a run shorter than the
// model's windows, files read in another order) go to `err`. Throws InputError when the run holds
// no record (an empty run cannot pass) or does not fit the model (anomalies counted on a log of
// another kind mean nothing).
LOGAD_API pipeline::CheckVerdict check_logs(const pipeline::PipelineModel& model, const pipeline::CheckSettings& settings,
                                            const std::vector<std::string>& files, int threads, std::istream& in,
                                            std::ostream& err);

enum class CheckReport { text, junit };
// The verdict as a report of that kind; `color` paints PASS or FAIL in the text.
LOGAD_API void print_check(const pipeline::CheckVerdict& verdict, CheckReport report, bool color, std::ostream& out);

LOGAD_API std::string junit_report(const pipeline::CheckVerdict& verdict);

// `s` with &, <, >, " and ' escaped, control characters XML 1.0 forbids and invalid UTF-8
// written as U+FFFD, so any log text can go in an attribute or element.
LOGAD_API std::string xml_escape(std::string_view s);

}  // namespace logad::present
