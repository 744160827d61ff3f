#include <logad/present/input_files.hpp>

#include <logad/io/paths.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

namespace logad::present {

std::vector<std::string> input_files(const std::vector<std::string>& given, std::string_view command, std::ostream& err) {
    io::InputList list = io::list_inputs(given.empty() ? std::vector<std::string>{"-"} : given);
    const std::size_t n = list.skipped_dirs.size();
    if (n > 0)
        fmt::print(err, "logad {}: note: {} subfolder{} not read ({}{}); logad reads the files of a folder, not of its "
                        "subfolders: name them too, e.g. DIR/*/*.log\n",
                   command, n, n == 1 ? "" : "s", list.skipped_dirs.front(), n > 1 ? ", ..." : "");
    return std::move(list.files);
}

}  // namespace logad::present
