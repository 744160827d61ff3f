#pragma once
// `logad train` and `logad score` on logs: raw lines (parsed and mined in process) or events
// from `logad parse`. The table paths (cmd_train.cpp, cmd_score.cpp) hand over to these when
// the input is not a numeric table, or the model is a pipeline.
#include "cmd_parse.hpp"

#include <logad/io/input.hpp>
#include <logad/ops/monitor.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/stage.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

enum class InputKind { logs, events, table };
// Decides from the first non-blank line: {"features"...} / {"feature_space"...} / {"names"...} /
// numeric CSV / a CSV header of short names / a JSON array is a table; {"template_id"...,
// "message"...} is events; anything else is logs. `logad train --input table` settles the rest.
InputKind classify_input(std::string_view first_line);

// The flags `train` and `score` share with `parse` and `featurize`.
struct LogOptions {
    ParseOptions parse;  // files, format, multiline, masks, max_line, state_path (events input)
    std::vector<std::string> per;  // line, window, session; empty = every one that fits
    std::string window = "60s";
    std::string slide;
    std::string key;
    std::string idle = "30m";
    std::size_t max_vocab = 200;
};
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
};
// `first` (optional) is the first file already opened, e.g. stdin after peeking at it.
int train_on_logs(const LogTrainRequest& request, std::istream& in, std::ostream& err,
                  std::unique_ptr<io::ByteSource> first = nullptr);

struct LogScoreRequest {
    LogOptions logs;
    bool all = false;
    bool fail_on_anomaly = false;
    int threads = 1;
    pipeline::ClockHorizon horizon;
    bool follow = false;  // the one input file is read like tail -F (io::open_followed)
    // The model's file: while input is quiet, a change of it (`logad feedback`) brings its verdicts in.
    std::string model_path;
    bool quiet = false;
    bool progress = false;  // draw a progress line on stderr (a person is watching it)
    bool summary = false;   // add the human summary (score_summary.hpp) after the totals
    // Told of every record written, of progress and of the end: metrics and alerts (ops_options.hpp).
    ops::ScoreObserver* observer = nullptr;
    // Also given every record written to `out`, after it (e.g. Kafka publishing); must not steal.
    std::vector<Sink<pipeline::ScoreRecord>*> also;
};
int score_logs(const pipeline::PipelineModel& model, const LogScoreRequest& request, std::istream& in,
               std::ostream& out, std::ostream& err, std::unique_ptr<io::ByteSource> first = nullptr);

}  // namespace logad::cli
