#pragma once
// The files a subcommand reads: stdin when none are given, a directory as its files oldest first
// (<logad/io/paths.hpp>). Subfolders of a directory are not read; a note on stderr says how many
// were left out, so a folder of folders does not look like a short log.
#include <logad/export.hpp>
#include <logad/analyze/log_input.hpp>  // open_log_input, as every caller of input_files opens them

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace logad::present {

LOGAD_API std::vector<std::string> input_files(const std::vector<std::string>& given, std::string_view command, std::ostream& err);

}  // namespace logad::present
