#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

struct EvalOptions {
    std::vector<std::string> files;  // score records (NDJSON from logad score); none = stdin
    std::string labels;              // label CSV, required
    std::string per;                 // "" = the granularity of the labels; line|window|session|all
    std::string detector;            // "" = every detector
    bool json = false;
};

int run_eval(const EvalOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace logad::cli
