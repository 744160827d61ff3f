#pragma once
// Saved files (miner state, models) are JSON documents with an envelope:
//   {"format": "<kind>", "version": N, ...payload keys...}
// A reader names the kind and the versions it understands; anything else is refused with a
// message that says what the file is and what to do.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string_view>

namespace logad::util {

struct FileKind {
    std::string_view name;  // e.g. "logad-model"
    int version;            // the version this build writes
    int oldest_readable;    // the oldest version this build still reads
};

// Adds the envelope to `doc` and writes it atomically (a new file 0600 less the umask, a
// rewrite keeps its mode). Invalid UTF-8 in strings is replaced.
void save_versioned(const std::filesystem::path& path, const FileKind& kind, nlohmann::json doc);

// Reads, parses and checks the envelope; throws FormatError/InputError naming the file.
nlohmann::json load_versioned(const std::filesystem::path& path, const FileKind& kind);

// The same checks on a document already in memory (`origin` names it in messages).
void check_envelope(const nlohmann::json& doc, const FileKind& kind, std::string_view origin);

}  // namespace logad::util
