#pragma once
// A directory given as input stands for the log files in it, oldest first by modification time
// (rotated logs: app.log.3.gz, app.log.2.gz, app.log.1, app.log), so forensics on a folder is
// one command. Hidden files and subdirectories are skipped (not descended into: name them, e.g.
// logs/*/*.log); "-" and files pass through as given.
#include <logad/export.hpp>
#include <string>
#include <vector>

namespace logad::io {

struct InputList {
    std::vector<std::string> files;
    std::vector<std::string> skipped_dirs;  // subdirectories of given directories, not read (sorted)
};

// Throws InputError when a directory cannot be read or holds no file.
LOGAD_API InputList list_inputs(const std::vector<std::string>& paths);
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths);  // list_inputs(paths).files

}  // namespace logad::io
