#include <logad/io/paths.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace logad::io {

namespace fs = std::filesystem;

InputList list_inputs(const std::vector<std::string>& paths) {
    InputList list;
    std::vector<std::string>& out = list.files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (path == "-" || !fs::is_directory(path, ec)) {
            out.push_back(path);  // a missing file is reported when it is opened
            continue;
        }
        std::vector<std::pair<fs::file_time_type, std::string>> files;
        for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.empty() || name.front() == '.') continue;
            if (it->is_directory(ec)) {
                list.skipped_dirs.push_back(it->path().string());
                continue;
            }
            if (!it->is_regular_file(ec)) continue;
            files.emplace_back(it->last_write_time(ec), it->path().string());
        }
        if (ec) throw InputError(fmt::format("cannot read the directory {}: {}", path, ec.message()));
        if (files.empty())
            throw InputError(fmt::format("the directory {} holds no log file{}", path,
                                         list.skipped_dirs.empty() ? ""
                                                                   : " (subfolders are not read: name their files, "
                                                                     "e.g. DIR/*/*.log)"));
        std::sort(files.begin(), files.end());
        for (auto& f : files) out.push_back(std::move(f.second));
    }
    std::sort(list.skipped_dirs.begin(), list.skipped_dirs.end());
    return list;
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths) { return list_inputs(paths).files; }

}  // namespace logad::io
