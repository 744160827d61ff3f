#pragma once
// What `logad score` wrote, read back from files and judged: against labels (`logad eval`:
// pipeline/evaluation.hpp) and as the figures of the HTML report (`logad report`:
// pipeline/report_data.hpp). "-" is the caller's stream.
#include <logad/export.hpp>
#include <logad/pipeline/evaluation.hpp>
#include <logad/pipeline/report_data.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::analyze {

struct EvalRequest {
    std::string labels;              // label CSV: BlockId,Label (sessions) or line,label (lines)
    std::vector<std::string> files;  // score records; none = the caller's stream
    std::string per;                 // "" = the granularity of the labels; line|window|session|all
    std::string detector;            // "" = every detector
};
// Throws FormatError naming file:line for a line that is no score record.
LOGAD_API pipeline::EvalResult evaluate_files(const EvalRequest& request, std::istream& in);

struct ReportInput {
    pipeline::ReportData data;
    std::uint64_t skipped = 0;  // lines that were neither records nor events
};
// Score and incident records from `files`, events (for log volume and template counts) from
// `events`. Throws InputError when there is nothing to report.
LOGAD_API ReportInput read_report_input(const std::vector<std::string>& files, const std::vector<std::string>& events,
                                        std::istream& in);

}  // namespace logad::analyze
