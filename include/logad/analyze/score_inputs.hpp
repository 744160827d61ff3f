#pragma once
// `logad score` and `logad check` on logs without printing: log inputs read into a LogScorer.
//
//   analyze::ScoreRequest request;
//   request.files = {"app.log.1", "app.log"};
//   analyze::ScoreRun run = analyze::score_inputs(model, request, records, &incidents, std::cin);
//
// The inputs are files (read oldest first: log_input.hpp), stdin ("-"), one file followed like
// tail -F, or a byte source the caller opened (a receiver's queue, a Kafka topic). Each is read
// as the model reads logs: raw lines, or events of `logad parse` told apart by the first line.
// While input is quiet the scorer is flushed, and once a second the live wall-clock tick moves
// its time (log_scorer.hpp); verdicts given meanwhile come in from the model file
// (verdict_watch.hpp). Whether the input fits the model is judged after enough lines and at the
// end. Progress, warnings and pauses go to a ScoreReadObserver; the figures come back at the end.
#include <logad/export.hpp>
#include <logad/analyze/log_scorer.hpp>
#include <logad/analyze/train.hpp>  // ReadObserver
#include <logad/analyze/verdict_watch.hpp>
#include <logad/io/input.hpp>
#include <logad/pipeline/score_progress.hpp>
#include <logad/pipeline/time_order.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace logad::analyze {

struct ScoreRequest {
    std::vector<std::string> files{"-"};  // "-" is the caller's stream; several: oldest first
    bool follow = false;                  // the one file is read like tail -F (io::open_followed)
    ScoreSettings settings;
    std::string model_path;  // the model's file, watched for verdicts; empty: none
    // Threads that read, parse and score whole files (regular files, archives) in blocks
    // (threaded_score.hpp); 0: the cores this process may use; 1: line by line, as live input
    // always is. settings.scorer.threads is for the model's batch scoring.
    int threads = 1;
    std::size_t block_lines = 0;  // lines per block with threads; 0: 64
};

// Told how a scoring run goes (on the reading thread; the library prints nothing).
class ScoreReadObserver : public ReadObserver {
public:
    // The first line of `file` looks like a numeric table; it is read as logs all the same,
    // since the model was trained on logs.
    virtual void table_read_as_logs(const std::string& /*file*/) {}
    // Often: about once a second, every 1024 lines, at the end of each input.
    virtual void progress(const pipeline::ScoreProgress& /*so_far*/) {}
    // Input is quiet, or a wall-clock tick went by: records written so far should reach their
    // reader now (flush the output).
    virtual void paused() {}
    // Why the input does not fit the model (pipeline::misfit); told once, as soon as it is judged.
    virtual void misfit(const std::string& /*why*/) {}
    virtual void verdicts(VerdictWatch::Note /*note*/, const std::string& /*detail*/) {}
};

// What a scoring run read and scored.
struct ScoreRun {
    pipeline::ScoreProgress progress;  // at the end: every line, parse failure and event
    std::uint64_t bad_events = 0;      // lines of an events input that were no event
    pipeline::ScorerStats stats;
    pipeline::TimeOrderStats order;
    std::int64_t first_ms = k_no_time, last_ms = k_no_time;  // event time span, when lines carry time
    std::uint64_t incidents_opened = 0;
    std::uint64_t templates_forgotten = 0;  // evicted from the scorer's miner (its memory bound)
    std::int64_t reorder_ms = 0;     // the tolerance in force
    std::vector<std::string> files;  // as read
    bool files_reordered = false;    // read by their first timestamps (file_order_note)
    std::string misfit;              // empty: the input fits the model
};

// Scores `request.files` with `model`. `records` gets every score record (named by its input's
// file when there are several) and must not steal; `incidents` (optional) the incidents as they
// open and close. `source` (optional) is the first input already opened; it is named
// request.files.front(). Throws InputError for an unreadable input, BrokenPipe or OutputError
// from the sinks or the observer.
LOGAD_API ScoreRun score_inputs(const pipeline::PipelineModel& model, const ScoreRequest& request,
                      Sink<pipeline::ScoreRecord>& records, Sink<pipeline::Incident>* incidents, std::istream& in,
                      ScoreReadObserver* observer = nullptr, std::unique_ptr<io::ByteSource> source = nullptr);

}  // namespace logad::analyze
