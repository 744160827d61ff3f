#pragma once
// `logad train` on a numeric table (CSV with a header row, or NDJSON rows): the detector fitted
// on every row, its threshold calibrated on the training scores by the rule (model/calibration.hpp).
// The feature space of `logad featurize` output, when the table is one, travels in the model for
// scoring raw logs later.
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/model/model_file.hpp>
#include <logad/model/threshold.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace logad::analyze {

struct TableTrainRequest {
    std::string name = "stdin";  // the input, in messages
    std::string algo = "iforest";
    nlohmann::json params = nlohmann::json::object();
    model::ThresholdRule rule;
    std::uint64_t seed = 42;
    int threads = 1;
};

struct TableTrainRun {
    model::ModelFile model;
    std::uint64_t rows = 0, cols = 0;
    std::uint64_t above = 0;     // training rows scoring above the threshold
    double fit_seconds = 0;      // in the detector's fit only
};

// Throws UsageError for a bad algorithm or parameter, InputError for a table without rows or a
// malformed one.
LOGAD_API TableTrainRun train_table(io::ByteSource& source, const TableTrainRequest& request);

}  // namespace logad::analyze
