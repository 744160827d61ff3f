#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace logad::cli {

struct TrainOptions {
    std::string file = "-";                        // numeric table (CSV / NDJSON), - = stdin
    std::string algo = "iforest";
    std::vector<std::string> params;               // k=v, v parsed as JSON when it is JSON
    std::string threshold = "contamination=0.01";  // see register_train for why 1%
    std::uint64_t seed = 42;
    int threads = 0;                               // 0 = all cores
    std::string output;                            // model file, required
    bool quiet = false;
};

int run_train(const TrainOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// {"trees": 200, "extended": true} from {"trees=200", "extended=true"}; throws UsageError.
nlohmann::json parse_params(const std::vector<std::string>& specs);

}  // namespace logad::cli
