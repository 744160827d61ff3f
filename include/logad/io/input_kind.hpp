#pragma once
// What an input holds, told from its first non-blank line, so that `train`, `score`, `check` and
// `featurize` agree on it:
//   table   a numeric table for the detectors alone: {"features": [...]}, {"feature_space": ...},
//           a {"names": [...]} header row, a JSON array of numbers ([0, 3, 1.5]), a line of
//           numbers and commas, or a CSV header of short names (`cpu load,latency_ms`);
//   events  NDJSON from `logad parse`: an object with "logad": "event" (or, written before
//           events said what they are, with "template_id" and "message");
//   logs    anything else. A line that opens with `[` or `{` but is not that JSON is a log line:
//           Apache error logs (`[Sun Dec 04 04:47:44 2005] [notice] ...`), dmesg
//           (`[    0.000000] Linux version ...`) and many Java logs start that way.
// What the user said (`--input logs`, an explicit `--format`, a model trained on logs with one)
// always wins over the guess: resolve_input_kind() applies it.
#include <logad/export.hpp>
#include <string_view>

namespace logad::io {

enum class InputKind { logs, events, table };

LOGAD_API InputKind classify_input(std::string_view first_line);

// What the user claimed the input is.
enum class InputClaim {
    guess,  // nothing: classify_input() decides
    logs,   // logs (or logad's own events): never a table
    table,  // a numeric table, whatever its first line looks like
};

LOGAD_API InputKind resolve_input_kind(std::string_view first_line, InputClaim claim);

}  // namespace logad::io
