#pragma once
// Every kind of document logad saves and the versions this build writes and reads, in one
// place: a version is raised here, once. (versioned_file.hpp writes and checks the envelope.)
#include <string_view>

namespace logad::util {

struct FileKind {
    std::string_view name;  // e.g. "logad-model"
    int version;            // the version this build writes
    int oldest_readable;    // the oldest version this build still reads
};

// A model: a plain detector (model_file.hpp) or a pipeline with its feedback (pipeline_model.hpp).
inline constexpr FileKind k_model_file{"logad-model", 1, 1};
// The template miner's state between runs (`logad parse --state`).
inline constexpr FileKind k_miner_state_file{"logad-miner-state", 2, 1};

// The verdicts people gave, kept inside a model as its "feedback" member with a version of its
// own (feedback.hpp; version 1 held template and reason verdicts, read and converted).
inline constexpr FileKind k_feedback_section{"feedback", 2, 1};

}  // namespace logad::util
