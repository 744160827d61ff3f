#pragma once
// `logad train` and `logad score` on logs: raw lines (parsed and mined in process) or events
// from `logad parse`. The table paths (cmd_train.cpp, cmd_score.cpp) hand over to these when
// the input is not a numeric table, or the model is a pipeline.
#include "cmd_parse.hpp"

#include <logad/io/input.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/ops/monitor.hpp>
#include <logad/ops/score_writers.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/pipeline/scorer.hpp>  // ClockHorizon
#include <logad/stage.hpp>

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
// `first` (optional) is the first file already opened, e.g. stdin after peeking at it.
int train_on_logs(const LogTrainRequest& request, std::istream& in, std::ostream& err,
                  std::unique_ptr<io::ByteSource> first = nullptr);

// What a scoring run saw, for callers that judge it (`logad check`).
struct LogScoreTotals {
    std::uint64_t lines = 0, events = 0, rows = 0;
    std::int64_t first_ms = k_no_time, last_ms = k_no_time;  // event time span, when lines carry time
    std::string file_order;  // when the files were read in another order than given: what was done (file_order.hpp)
};
// The "logad train: line ... rows x ... features" lines and the closing "saved OUTPUT" line.
void print_fit_summary(const pipeline::PipelineModel& m, const std::vector<pipeline::PartSummary>& summary,
                       const std::string& output, double seconds, std::ostream& err);

// What `score` writes on stdout: logad's NDJSON, ECS documents, or those as an Elasticsearch
// _bulk body (<logad/ops/score_writers.hpp>).
using ScoreOutput = ops::ScoreFormat;
// "ndjson", "ecs" or "ecs-bulk"; throws UsageError otherwise.
ScoreOutput parse_score_output(const std::string& name);

struct LogScoreRequest {
    std::string command = "score";  // names the subcommand in warnings
    ScoreOutput output = ScoreOutput::ndjson;
    LogOptions logs;
    bool all = false;
    bool records = false;  // write every anomaly record to `out`, not only the incidents
    pipeline::IncidentOptions incidents;
    bool fail_on_anomaly = false;
    int threads = 1;
    pipeline::ClockHorizon horizon;
    std::int64_t reorder_ms = -1;  // event-time disorder windows absorb (TimeOrder); -1: the model's
    bool follow = false;  // the one input file is read like tail -F (io::open_followed)
    // The model's file: while input is quiet, a change of it (`logad feedback`) brings its verdicts in.
    std::string model_path;
    bool quiet = false;
    bool progress = false;  // draw a progress line on stderr (a person is watching it)
    bool summary = false;   // add the human summary (score_summary.hpp) after the totals
    // Told of every record written, of progress and of the end: metrics and alerts (ops_options.hpp).
    ops::ScoreObserver* observer = nullptr;
    // Also given every record (written to `out` or not), after it (e.g. Kafka publishing); must not steal.
    std::vector<Sink<pipeline::ScoreRecord>*> also;
    LogScoreTotals* totals = nullptr;  // filled at the end when given
    // Set to why the input does not fit the model (input_fit.hpp), or left empty. When null,
    // score_logs warns on stderr instead (also when quiet: the results mean little).
    std::string* misfit = nullptr;
};
// The advice after a misfit: what to check and how to retrain.
std::string misfit_advice(const pipeline::PipelineModel& model);
int score_logs(const pipeline::PipelineModel& model, const LogScoreRequest& request, std::istream& in,
               std::ostream& out, std::ostream& err, std::unique_ptr<io::ByteSource> first = nullptr);

}  // namespace logad::cli
