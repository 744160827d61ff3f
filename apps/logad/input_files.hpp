#pragma once
// The files a subcommand reads: stdin when none are given, a directory as its files oldest first
// (<logad/io/paths.hpp>). Subfolders of a directory are not read; a note on stderr says how many
// were left out, so a folder of folders does not look like a short log.
#include <logad/io/input.hpp>
#include <logad/parse/line_format.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logad::cli {

std::vector<std::string> input_files(const std::vector<std::string>& given, std::string_view command, std::ostream& err);

// A log input opened (io::open_input); with --format auto or json, a JSON document holding records
// (CloudWatch filter-log-events, an Elasticsearch _search response, gcloud's JSON array) is read
// as one line per record (<logad/io/json_records.hpp>).
std::unique_ptr<io::ByteSource> open_log_input(const std::string& file, std::istream& in, const parse::FormatOptions& format);
// The same for a source already open.
std::unique_ptr<io::ByteSource> split_log_documents(std::unique_ptr<io::ByteSource> source, const parse::FormatOptions& format);

}  // namespace logad::cli
