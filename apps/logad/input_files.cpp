#include "input_files.hpp"

#include <logad/io/json_records.hpp>
#include <logad/io/paths.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

namespace logad::cli {

std::vector<std::string> input_files(const std::vector<std::string>& given, std::string_view command, std::ostream& err) {
    io::InputList list = io::list_inputs(given.empty() ? std::vector<std::string>{"-"} : given);
    const std::size_t n = list.skipped_dirs.size();
    if (n > 0)
        fmt::print(err, "logad {}: note: {} subfolder{} not read ({}{}); logad reads the files of a folder, not of its "
                        "subfolders: name them too, e.g. DIR/*/*.log\n",
                   command, n, n == 1 ? "" : "s", list.skipped_dirs.front(), n > 1 ? ", ..." : "");
    return std::move(list.files);
}

std::unique_ptr<io::ByteSource> split_log_documents(std::unique_ptr<io::ByteSource> source, const parse::FormatOptions& format) {
    const bool json_ok = format.regex.empty() && (format.format.empty() || format.format == "auto" || format.format == "json");
    return json_ok ? io::split_json_records(std::move(source)) : std::move(source);
}

std::unique_ptr<io::ByteSource> open_log_input(const std::string& file, std::istream& in, const parse::FormatOptions& format) {
    return split_log_documents(io::open_input(file, in), format);
}

}  // namespace logad::cli
