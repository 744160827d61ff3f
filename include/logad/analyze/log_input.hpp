#pragma once
// Opening log inputs and ordering them, as `train` and `score` read them.
//
// Several log files given in any order are read oldest first. A shell lists `app.log*` as
// app.log, app.log.1, app.log.2 (the newest first); read so, every window at a file boundary
// would jump back in time (false bursts and silences). When every file is a regular file whose
// first lines carry a timestamp in the model's format, the files are read in the order of their
// first timestamps (a stable sort: equal times keep the order given). Otherwise, or for stdin,
// the order given is kept.
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/parse/line_format.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace logad::analyze {

// A log input opened (io::open_input: "-" is `in`); with --format auto or json, a JSON document
// holding records (CloudWatch filter-log-events, an Elasticsearch _search response, gcloud's JSON
// array) is read as one line per record (<logad/io/json_records.hpp>).
LOGAD_API std::unique_ptr<io::ByteSource> open_log_input(const std::string& file, std::istream& in, const parse::FormatOptions& format);
// The same for a source already open.
std::unique_ptr<io::ByteSource> split_log_documents(std::unique_ptr<io::ByteSource> source, const parse::FormatOptions& format);

// What a format says of the input: an explicit format or regex says it is logs, whatever its
// first line looks like (io::resolve_input_kind then never calls it a table); "auto" says nothing.
LOGAD_API io::InputClaim input_claim(const parse::FormatOptions& format);

// A format in words, for messages: its name or header string, or "regex ..." for a regex.
LOGAD_API std::string format_text(const parse::FormatOptions& format);

// Reorders `files` by their first timestamps (see above); true when the order changed.
LOGAD_API bool order_by_first_time(std::vector<std::string>& files, const parse::FormatOptions& format, std::istream& in);
// "read the 3 files in the order of their first timestamps: a, b, c" for a summary.
LOGAD_API std::string file_order_note(const std::vector<std::string>& files);

}  // namespace logad::analyze
