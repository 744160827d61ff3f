#pragma once
// examples/app.log split for training and scoring (support.hpp's Collect keeps what a scorer writes).
#include <logad/analyze/train.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include "../support/support.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace logad::test {

inline const std::string k_app_format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";

inline std::vector<std::string> app_log_lines() {
    std::ifstream in(std::string(LOGAD_SOURCE_DIR) + "/examples/app.log");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

// Lines [from, to) of examples/app.log written to a private temp file; its path.
inline std::string app_log_part(const std::string& name, std::size_t from, std::size_t to) {
    const auto lines = app_log_lines();
    const auto path = private_temp(name);
    std::ofstream out(path);
    for (std::size_t i = from; i < to && i < lines.size(); ++i) out << lines[i] << '\n';
    return path.string();
}

// A model trained through the API on lines [0, to) of examples/app.log.
inline analyze::TrainResult train_on_app_log(std::size_t to, const std::string& name = "train.log") {
    analyze::TrainRequest request;
    request.files = {app_log_part(name, 0, to)};
    request.parse.format.format = k_app_format;
    std::istringstream none;
    return analyze::train(request, none);
}

}  // namespace logad::test
