#pragma once
// An ordered pipeline over blocks of work, for `--threads` (logad parse). The caller's `read`
// fills a block with the next part of the input, in input order; then each block passes the
// steps in the order given, each step either in parallel (any number of blocks at once) or in
// input order (one block at a time, the blocks in the order they were read). For parse:
//   read (in order) -> parse and mask (parallel) -> learn templates (in order)
//        -> write NDJSON into the block's buffer (parallel) -> write the buffer out (in order)
// Each in-order step has its own turn, so different in-order steps run at once on different
// blocks. A block lives in one of `slots` slots the caller owns (its storage is reused: no
// allocation per block in steady state); at most `slots` blocks are in flight, so memory stays
// bounded. A step gets the slot and the number of the worker running it (0 .. workers-1), for
// per-thread scratch. Block k is read and taken through every step by worker k % workers, in
// slots i with i % workers equal to its number (no more workers run than there are slots): the
// block's data stays in one core's cache, and what a step allocates is freed by the same thread.
// The calling thread is worker 0; workers-1 threads are started and joined before
// run_block_pipeline() returns.
#include <logad/export.hpp>

#include <cstddef>
#include <functional>
#include <vector>

namespace logad::util {

struct BlockStep {
    std::function<void(std::size_t slot, int worker)> run;
    bool in_order = false;
};

struct BlockSteps {
    // Fills the slot with the next block; false when it reached the end of input (this block,
    // perhaps empty, is the last). Never called again after false.
    std::function<bool(std::size_t slot, int worker)> read;
    std::vector<BlockStep> steps;  // run on each block after read, in this order
};

// Runs every block through the steps until the input ends and every block passed them all. The
// first exception thrown by a step stops the pipeline: no step starts after it, the threads are
// joined, and it is rethrown here. Nothing waits forever on a failed step.
LOGAD_API void run_block_pipeline(int workers, std::size_t slots, const BlockSteps& steps);

}  // namespace logad::util
