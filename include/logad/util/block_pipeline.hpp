#pragma once
// An ordered pipeline over blocks of work, for `--threads` (logad parse). Each block passes five
// steps; the sequential ones see the blocks in input order:
//   read     (in order)    fill a block with the next lines of the input
//   spread   (parallel)    e.g. parse and mask the block's lines
//   fold     (in order)    e.g. learn templates, which depends on every earlier line
//   finish   (parallel)    e.g. write the block's NDJSON into its own buffer
//   deliver  (in order)    e.g. write that buffer to the output
// A block lives in one of `slots` slots the caller owns (its storage is reused: no allocation per
// block in steady state); at most `slots` blocks are in flight, so memory stays bounded. A step
// gets the slot and the number of the worker running it (0 .. workers-1), for per-thread scratch.
// A worker carries its block on as far as the order allows (read, spread, then fold when the block
// is next in line, finish, then deliver when next), so the block's data stays in one core's cache.
// The calling thread is worker 0; workers-1 threads are started and joined before run() returns.
#include <logad/export.hpp>

#include <cstddef>
#include <functional>

namespace logad::util {

struct BlockSteps {
    using Step = std::function<void(std::size_t slot, int worker)>;
    // Fills the slot with the next block; false when it reached the end of input (this block,
    // perhaps empty, is the last). Never called again after false.
    std::function<bool(std::size_t slot, int worker)> read;
    Step spread, fold, finish, deliver;  // an empty step is skipped
};

// Runs every block through the steps until the input ends and all were delivered. The first
// exception thrown by a step stops the pipeline: no step starts after it, the threads are joined,
// and it is rethrown here. Nothing waits forever on a failed step.
LOGAD_API void run_block_pipeline(int workers, std::size_t slots, const BlockSteps& steps);

}  // namespace logad::util
