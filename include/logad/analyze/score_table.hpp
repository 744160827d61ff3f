#pragma once
// `logad score` with a plain detector (a model trained on a numeric table): the table's rows read
// and scored in blocks, so memory stays flat on long inputs, and written as NDJSON, one object
// per row (read back by pipeline/score_stream.hpp as table rows):
//   {"row": 12, "score": 0.71, "threshold": 0.64, "anomaly": true}
// `row` counts data rows from 1 (a CSV header is not a row). Only anomalous rows unless `all`.
// Each block's rows are flushed as soon as they are scored, so a live input sees them at once.
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/io/output.hpp>
#include <logad/model/model_file.hpp>

#include <cstdint>
#include <string>

namespace logad::analyze {

struct TableScoreRequest {
    std::string name = "stdin";     // the input, in messages
    std::size_t block_rows = 8192;  // rows scored at once
    int threads = 1;
    bool all = false;  // every row, not only the anomalous ones
};

struct TableScoreRun {
    std::uint64_t rows = 0, anomalies = 0;
    double scoring_seconds = 0;  // in the detector only (reading and writing left out)
};

// Throws InputError when the table's columns do not match the model's (their number, or their
// names when both sides have real names), or the table is malformed.
LOGAD_API TableScoreRun score_table(const model::ModelFile& model, io::ByteSource& source, const TableScoreRequest& request,
                          io::OutputBuffer& out);

}  // namespace logad::analyze
