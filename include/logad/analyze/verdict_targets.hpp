#pragma once
// What `logad feedback --normal TARGET` names. A TARGET is read as, in this order:
//   digits          a template id, as in a score record's "template_id": the whole template
//   {...}           one score record or incident record as `logad score` prints it (NDJSON line)
//   -               the caller's stream, read as a FILE
//   an existing file   one target per non-blank line: a template id, a record, or a raw log line
//                   (so `logad score ... | grep ... > fp.ndjson` or a file of log lines both work)
//   anything else   one raw log line, parsed with the model's format and matched to its template
// What each kind of target gives: pipeline/verdict_resolver.hpp.
#include <logad/export.hpp>
#include <logad/pipeline/verdict_resolver.hpp>

#include <iosfwd>
#include <string>

namespace logad::analyze {

// Adds the verdicts `target` names to `resolver.verdicts`. Throws UsageError when a target names
// nothing, InputError when a file of targets holds none (or cannot be read).
LOGAD_API void resolve_target(pipeline::VerdictResolver& resolver, const std::string& target, std::istream& in);

}  // namespace logad::analyze
