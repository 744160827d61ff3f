#pragma once
// Several log files given in any order are read oldest first. A shell lists `app.log*` as
// app.log, app.log.1, app.log.2 (the newest first); read so, every window at a file boundary
// would jump back in time (false bursts and silences). When every file is a regular file whose
// first lines carry a timestamp in the model's format, the files are read in the order of their
// first timestamps (a stable sort: equal times keep the order given). Otherwise, or for stdin,
// the order given is kept.
#include <logad/parse/line_format.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

// Reorders `files`; true when the order changed.
bool order_by_first_time(std::vector<std::string>& files, const parse::FormatOptions& format, std::istream& in);

// "read the 3 files in the order of their first timestamps: a, b, c" for the summary.
std::string file_order_note(const std::vector<std::string>& files);

}  // namespace logad::cli
