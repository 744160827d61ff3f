#pragma once
// `logad feedback`: verdicts on results, kept in the model file (see pipeline/feedback.hpp), and
// `logad train --update`: refit a log model on new normal logs, keeping what it already knows.
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

// `logad train --update`: the old training logs are not in the model, so every detector and
// baseline is refitted on `files` (the logs that are normal now), while the template miner
// carries over (template ids stay, old templates stay known), and so do the parse and featurize
// settings, the detector, its threshold rule and the seed. Normal verdicts the refit can hold
// are carried into it and marked absorbed (pipeline::absorb_verdicts); the rest are kept as they are.
struct UpdateRequest {
    std::string model;                 // the model to update
    std::string output;                // where to write it; empty = over `model`
    std::vector<std::string> files;    // new normal logs; none = stdin
    int threads = 0;
    bool quiet = false;
};
int update_model(const UpdateRequest& request, std::istream& in, std::ostream& err);

}  // namespace logad::cli
