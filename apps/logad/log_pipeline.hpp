#pragma once
// The flags of `logad train` and `logad score` on logs: raw lines (parsed and mined in process) or
// events from `logad parse`. The table paths (cmd_train.cpp, cmd_score.cpp) hand over to logs when
// the input is not a numeric table, or the model is a pipeline; the runs themselves are the
// library's (present/train_run.hpp, present/score_run.hpp).
#include "cmd_parse.hpp"

#include <logad/io/input.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/ops/score_writers.hpp>
#include <logad/present/score_run.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

using io::InputKind;  // logs, events or a numeric table: <logad/io/input_kind.hpp> tells them apart

// The flags `train` and `score` share with `parse` and `featurize`.
struct LogOptions {
    ParseOptions parse;  // files, format, multiline, masks, max_line, state_path (events input)
    std::vector<std::string> per;  // line, window, session; empty = every one that fits
    std::string window = "60s";
    std::string slide;
    std::string key;
    std::string idle = "30m";
    std::size_t max_vocab = 200;
    std::string reorder_tolerance = "10s";  // 0 = off
};
// --reorder-tolerance's value in ms (0 = off; at most a day).
std::int64_t parse_reorder_tolerance(const std::string& text);
void add_log_options(CLI::App& cmd, LogOptions& options);

struct LogTrainRequest {
    LogOptions logs;
    std::string algo;
    nlohmann::json params;
    std::string threshold;  // empty: a row must score above every training row
    std::uint64_t seed = 42;
    int threads = 1;
    std::string output;
    bool quiet = false;
    bool progress = false;  // draw a progress line on stderr (a person is watching it)
    io::InputClaim input = io::InputClaim::guess;  // --input logs, or an explicit --format: never a table
};
// Trains with the flags' settings and saves the model (present/train_run.hpp prints how it went).
// `first` (optional) is the first file already opened, e.g. stdin after peeking at it.
int train_on_logs(const LogTrainRequest& request, std::istream& in, std::ostream& err,
                  std::unique_ptr<io::ByteSource> first = nullptr);

// What `score` writes on stdout: logad's NDJSON, ECS documents, or those as an Elasticsearch
// _bulk body (<logad/ops/score_writers.hpp>).
using ScoreOutput = ops::ScoreFormat;
// "ndjson", "ecs" or "ecs-bulk"; throws UsageError otherwise.
ScoreOutput parse_score_output(const std::string& name);

}  // namespace logad::cli
