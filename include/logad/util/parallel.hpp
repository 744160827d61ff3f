#pragma once
// A minimal fork-join loop for the few places that pay for threads (trees, row blocks). No pool:
// the work items are coarse (a tree, thousands of rows), so thread start-up is noise.
#include <logad/export.hpp>

#include <cstddef>
#include <functional>

namespace logad::util {

// The cores this process may run on (its CPU affinity: 1 under `taskset -c 0`), at least 1.
LOGAD_API int available_cores();

// Number of workers for a `--threads` value: 0 means all hardware threads, never more than `items`.
LOGAD_API int resolve_threads(int requested, std::size_t items);

// Calls body(begin, end) on disjoint chunks covering [0, n), from up to `threads` threads
// (0 = all cores). Chunks are handed out dynamically in steps of `grain` items. The first
// exception thrown by a body is rethrown in the caller after all workers stopped.
void parallel_for(std::size_t n, int threads, std::size_t grain,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace logad::util
