#pragma once
// A process-wide request to stop reading, set from a SIGINT/SIGTERM handler: readers then end
// as at end of input, so a streaming command still flushes what it holds (open windows, the
// miner state) and exits cleanly.
#include <logad/export.hpp>

namespace logad::util {

LOGAD_API void request_stop() noexcept;  // async-signal-safe
bool stop_requested() noexcept;

}  // namespace logad::util
