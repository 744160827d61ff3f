#pragma once
// `logad score` and `logad check` on logs as people see them. analyze::score_inputs reads and
// scores; the writer of the chosen kind (ops/score_writers.hpp) puts the incidents, and with
// `records` or `all` the score records, on `out`; the progress line, warnings, the totals and the
// summary for people (score_summary.hpp) go to `err`.
//
//   present::LogScoreRequest request;
//   request.files = {"app.log"};
//   const present::LogScoreResult result = present::score_logs(model, request, std::cin, std::cout, std::cerr);
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/ops/monitor.hpp>
#include <logad/ops/score_writers.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/pipeline/scorer.hpp>  // ClockHorizon
#include <logad/stage.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace logad::present {

struct LogScoreRequest {
    std::string command = "score";  // names the subcommand in warnings
    ops::ScoreFormat output = ops::ScoreFormat::ndjson;
    std::vector<std::string> files;  // none or "-": the caller's stream; a directory: its files, oldest first
    bool all = false;
    bool records = false;  // write every anomaly record to `out`, not only the incidents
    pipeline::IncidentOptions incidents;
    int threads = 1;  // the model's batch scoring (pipeline::ScorerOptions); 0: all cores
    // Whole files read, parsed and scored in blocks on this many threads (analyze::ScoreRequest);
    // 0: the cores this process may use; 1: line by line.
    int read_threads = 1;
    std::size_t block_lines = 0;  // with read_threads: lines per block; 0: the default
    pipeline::ClockHorizon horizon;
    std::int64_t reorder_ms = -1;  // event-time disorder windows absorb (TimeOrder); -1: the model's
    bool follow = false;  // the one input file is read like tail -F (io::open_followed)
    // The model's file: while input is quiet, a change of it (`logad feedback`) brings its verdicts in.
    std::string model_path;
    bool quiet = false;
    bool progress = false;  // draw a progress line on stderr (a person is watching it)
    bool summary = false;   // add the human summary (score_summary.hpp) after the totals
    // Told of every record written, of progress and of the end: metrics and alerts (ops/monitor.hpp).
    ops::ScoreObserver* observer = nullptr;
    // Also given every record (written to `out` or not), after it (e.g. Kafka publishing); must not steal.
    std::vector<Sink<pipeline::ScoreRecord>*> also;
    // Whether the input fits the model (input_fit.hpp) is the caller's to judge from
    // LogScoreResult::misfit; when false, a misfit is a warning on `err` (also when quiet: the
    // results mean little).
    bool caller_judges_fit = false;
};

// What a scoring run saw, for callers that judge it (`logad check`) or map it to an exit code.
struct LogScoreResult {
    std::uint64_t anomalies = 0;  // anomaly records
    std::uint64_t lines = 0, events = 0, rows = 0;
    std::int64_t first_ms = k_no_time, last_ms = k_no_time;  // event time span, when lines carry time
    std::string file_order;  // when the files were read in another order than given: what was done (file_order.hpp)
    std::string misfit;      // why the input does not fit the model, or empty
};

// `first` (optional) is the first input already opened (stdin after peeking, a receiver's queue,
// a Kafka topic); it is named request.files.front(). Throws what analyze::score_inputs throws.
LOGAD_API LogScoreResult score_logs(const pipeline::PipelineModel& model, const LogScoreRequest& request,
                                    std::istream& in, std::ostream& out, std::ostream& err,
                                    std::unique_ptr<io::ByteSource> first = nullptr);

// The advice after a misfit: what to check and how to retrain.
LOGAD_API std::string misfit_advice(const pipeline::PipelineModel& model);

}  // namespace logad::present
