#pragma once
// `logad score --threads N` on a file or archive: the records, incidents and figures of one
// thread, byte for byte, from several cores. Live input (pipes, terminals, FIFOs, --follow,
// receivers, Kafka) keeps the line-by-line path of score_inputs.cpp, which flushes as soon as
// input pauses.
//
// The lines go through analyze::ThreadedParser: read in blocks, parsed and masked in parallel,
// templates learnt in input order by the scorer's own miner (LogScorer::scorer().miner()). Then
// each block's records go to the LogScorer in input order (LogScorer::push_learnt), one thread at
// a time, while other blocks are parsed.
//
// The one-thread loop does work between lines (progress, fit judgement, naming records by their
// input): the caller's hooks run for every line, and each record reaches the scorer between the
// hooks of the line that completes it, as one thread's RecordAssembler hands it on: a multiline
// record when the next record's first line is read (the last one after the input's last line),
// a single-line record at its own last line. So the scorer is in the one-thread state at every
// hook. Parse figures at a hook (LogScorer::parse_stats) are those of the block ends up to its
// line: exact at a block's last line, and blocks end at every k_score_report_lines-th line,
// where the fit is judged; a block behind in between.
#include <logad/analyze/log_scorer.hpp>
#include <logad/export.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace logad::analyze {

// Score reports progress and judges the fit every this many lines of an input (score_inputs.cpp).
constexpr std::uint64_t k_score_report_lines = 1024;

struct ThreadedScoreOptions {
    int threads = 2;               // threads, the calling one included
    std::size_t block_lines = 64;  // lines per block (small in tests: records across blocks)
};

// Called in input order, from whichever thread scores the block at hand, never two at once.
// `reading` and `read` run for the lines `due` names (each line when it is not given), and
// `reading` also before the records a line completes go out.
struct ScoreLineHooks {
    std::function<void(std::uint64_t line)> reading;  // line `line` is read: before the records it completes go out
    std::function<void(std::uint64_t line)> read;     // after them
    // The first line from `line` on whose `read` hook has work (asked again after each `read`).
    std::function<std::uint64_t(std::uint64_t line)> due;
};

class LOGAD_API ThreadedScoreReader {
public:
    // `scorer` scores with `model`; its parse settings are the model's.
    ThreadedScoreReader(const pipeline::PipelineModel& model, LogScorer& scorer, ThreadedScoreOptions options);
    ~ThreadedScoreReader();
    ThreadedScoreReader(const ThreadedScoreReader&) = delete;
    ThreadedScoreReader& operator=(const ThreadedScoreReader&) = delete;

    // Reads `reader` to its end and scores every record of it (the held one too: a record never
    // spans two inputs). Errors of the reader, the scorer or the sinks are rethrown here.
    void score_input(io::LineReader& reader, const ScoreLineHooks& hooks);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace logad::analyze
