#pragma once
// The NDJSON wire format of events, written by `logad parse` and read by the later stages.
// One JSON object per line:
//   logad        "event": every record says what it is, so a stream cut by grep, head or
//                split still tells itself apart from logs and tables (a key of logad's own:
//                "type" is common in applications' JSON logs)
//   line         1-based input line of the record's first line
//   lines        physical lines folded into the record, only when more than 1
//   file         input file name, only when several inputs were given
//   ts           RFC 3339 UTC with milliseconds, only when the record has a time
//   level        trace|debug|info|warn|error|fatal, only when known
//   message      the free-text message (invalid UTF-8 bytes become U+FFFD)
//   template_id  integer, stable for the same template across runs
//   template     the template, variables written <*>
//   params       the variable values, in order
//   param_kinds  the kind of each value: number, hex, ip, uuid, path, url, email, duration,
//                size, time, kv, id, word, user
//   fields       header/JSON fields not mapped to the above, as an object
#include <logad/export.hpp>
#include <logad/record.hpp>

#include <string>
#include <string_view>

namespace logad {

// Appends one event as a JSON object and a newline. `file` is omitted when empty.
LOGAD_API void append_event_json(std::string& out, const Event& event, std::string_view file = {});

// Reads one line of the format above into `event`. Returns an empty string on success, else
// the reason the line is not an event (a per-line value, not an exception).
LOGAD_API std::string read_event_json(std::string_view line, Event& event);

}  // namespace logad
