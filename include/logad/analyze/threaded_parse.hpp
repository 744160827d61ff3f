#pragma once
// `logad parse --threads N` on a file or archive: the same NDJSON, byte for byte, as one thread
// (records in input order, the same template ids), from several cores. Live input (a pipe, a
// terminal, network receivers) keeps the line-by-line path, which flushes as soon as input pauses.
//
// The input is read in blocks of lines (128 by default: a block's records, masks and NDJSON stay
// in one core's cache) through util::run_block_pipeline; per block:
//   0. in input order: the next lines copied into the block;
//   1. in parallel: each line parsed by the worker's own instance of the format, the block's
//      records assembled, and their messages masked (mine::Masker::mask is const);
//   2. in input order: the block checked and its templates learnt (TemplateMiner::learn_masked);
//   3. in parallel: the block's events written as NDJSON into the block's buffer;
//   4. in input order: the buffer written to the output.
// Multiline records across a block boundary: the lines a block starts with that its format does
// not match (continuations) are kept aside in step 1; step 2 holds each block's last record back
// and folds those lines into it (masking it again) before it is learnt, exactly as
// parse::RecordAssembler would have.
// A format may remember earlier lines (auto tries the format that matched last first; json and
// cri read payloads with an auto of their own): step 1 parses a block from the history of the
// last block step 2 checked, a guess; step 2 compares it with the true history (the one after
// the block before) and parses the block again, in order, when they differ or when the block
// before ended inside an open record (a CRI or Docker partial line). On logs of one shape the
// guess holds: a block is parsed again when the shape changes.
// Blocks, their records, masks and buffers are reused from block to block. The allocations per
// line left are those of the one-thread path (a header field longer than 15 bytes, a new
// parameter string), though a record's strings may now be freed on another thread.
#include <logad/export.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/parse/record_assembler.hpp>

#include <cstddef>
#include <iosfwd>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace logad::analyze {

struct ThreadedParseOptions {
    int threads = 2;                   // threads, the calling one included
    std::size_t block_lines = 128;     // lines per block (small in tests: records across blocks)
    bool multiline = true;             // as parse::RecordAssembler
    std::size_t max_record_bytes = std::size_t(1) << 20;
    // A block also ends at each line whose number is a multiple of this (0: none), so a caller
    // acting at those lines (score judges the fit every 1024) has the figures up to them exactly.
    std::uint64_t block_ends_every = 0;
};

// The records of one block once their templates are learnt, for steps a caller runs after
// learning instead of writing NDJSON (`logad score --threads`): events[0, count) in input order.
struct LearntBlock {
    Event* events = nullptr;
    std::size_t count = 0;
    parse::ParseStats stats;       // of every line read up to this block's last (all inputs), as one thread counts them there
    std::uint64_t last_line = 0;   // the line number of the block's last line; 0: the block has none
    bool input_end = false;        // the input's last block: every record read is among the blocks so far
};
struct LearntStep {
    std::function<void(std::size_t slot, int worker, LearntBlock& block)> run;
    bool in_order = false;
};

class LOGAD_API ThreadedParser {
public:
    // Makes one format per worker from `format` (throws UsageError as parse::make_format does).
    ThreadedParser(const parse::FormatOptions& format, mine::TemplateMiner& miner, io::OutputBuffer& out,
                   ThreadedParseOptions options);
    // For run_input() only: no NDJSON output.
    ThreadedParser(const parse::FormatOptions& format, mine::TemplateMiner& miner, ThreadedParseOptions options);
    ~ThreadedParser();
    ThreadedParser(const ThreadedParser&) = delete;
    ThreadedParser& operator=(const ThreadedParser&) = delete;

    // Reads `reader` to its end and writes its events (with `file` when not empty). A record
    // never spans two inputs. Errors of the reader, the steps or the output are rethrown here.
    void parse_input(io::LineReader& reader, const std::string& file);
    // Reads `reader` to its end as parse_input() does, but each block's learnt records go
    // through `steps` (parallel or in input order, numbered by slot: 0 .. slots()-1) instead of
    // NDJSON. A step may swap events out: the block's storage is reused for later blocks.
    void run_input(io::LineReader& reader, const std::vector<LearntStep>& steps);
    std::size_t slots() const;  // blocks in flight at most
    // Blocks parsed a second time, in order, because the guess they were parsed from was wrong.
    std::uint64_t reparsed_blocks() const;
    // Totals over every input, as parse::RecordAssembler counts them.
    const parse::ParseStats& stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Whether `file` ("-": stdin, when `in` is std::cin) is read whole at once: a regular file (an
// archive too), which --threads may split into blocks. Pipes, terminals and FIFOs may be live.
LOGAD_API bool whole_file_input(const std::string& file, const std::istream& in);

}  // namespace logad::analyze
