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
    // Tolerances, -1 = not given. The run fails on more incidents than --max-incidents (0 when
    // neither is given); --max-anomalies alone keeps its older meaning: anomaly records.
    std::int64_t max_incidents = -1;
    std::int64_t max_anomalies = -1;
    std::vector<std::uint32_t> ignore;     // template ids whose records do not count
    std::string report = "text";           // text | junit
    std::string old_format;                // --format, the name of --report until 0.2 (hidden, warns)
    std::size_t top = 10;                  // anomalies listed in the report
    int threads = 0;
};

int run_check(const CheckOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace logad::cli
