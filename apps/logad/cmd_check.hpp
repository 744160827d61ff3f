#pragma once
// `logad check`: a CI gate. Scores a test run's logs against a baseline model in-process and
// exits 0 when they look like the baseline, 1 with a report when they do not.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

struct CheckOptions {
    std::vector<std::string> files;        // the run's logs; none = stdin
    std::string model;
    std::uint64_t max_anomalies = 0;       // tolerated anomalies
    std::vector<std::uint32_t> ignore;     // template ids whose records do not count
    std::string report = "text";           // text | junit
    std::string old_format;                // --format, the name of --report until 0.2 (hidden, warns)
    std::size_t top = 10;                  // anomalies listed in the report
    int threads = 0;
};

int run_check(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// `s` with &, <, >, " and ' escaped, control characters XML 1.0 forbids and invalid UTF-8
// written as U+FFFD, so any log text can go in an attribute or element.
std::string xml_escape(std::string_view s);

}  // namespace logad::cli
