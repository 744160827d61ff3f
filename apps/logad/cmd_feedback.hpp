#pragma once
// `logad feedback`: verdicts on results, kept in the model file (see pipeline/feedback.hpp).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

struct FeedbackOptions {
    std::string model;                  // model file, read and rewritten atomically
    std::vector<std::string> normal;    // targets called normal (false positives)
    std::vector<std::string> anomaly;   // targets called true anomalies
    std::string by = "auto";            // auto | template | reason
    std::string until;                  // a date after which the verdicts lapse
    std::string note;                   // who gave it and why
    bool list = false;                  // print the verdicts held
    std::vector<std::uint64_t> remove;  // verdict ids to remove
    bool prune_expired = false;         // remove expired and retired verdicts
    bool quiet = false;
};

int run_feedback(const FeedbackOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace logad::cli
