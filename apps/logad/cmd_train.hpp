#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "log_pipeline.hpp"

#include <nlohmann/json.hpp>

namespace logad::cli {

struct TrainOptions {
    std::vector<std::string> files;                // logs, events or one numeric table; none = stdin
    std::string input = "auto";                    // auto (from the first line), logs or table
    std::string algo = "iforest";
    std::vector<std::string> params;               // k=v, v parsed as JSON when it is JSON
    std::string threshold;                         // empty: contamination=0.01 for tables, above-max for logs
    std::uint64_t seed = 42;
    int threads = 0;                               // 0 = all cores
    std::string output;                            // model file, required
    bool quiet = false;
    LogOptions logs;                               // parse and featurize settings, for logs
    bool update = false;                           // --update: refit `model` on new normal logs
    std::string model;                             // --model, with --update
};

int run_train(const TrainOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// {"trees": 200, "extended": true} from {"trees=200", "extended=true"}; throws UsageError.
nlohmann::json parse_params(const std::vector<std::string>& specs);

}  // namespace logad::cli
