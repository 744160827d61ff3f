#pragma once
// Saved files (miner state, models) are JSON documents with an envelope:
//   {"format": "<kind>", "version": N, ...payload keys...}
// A reader names the kind and the versions it understands; anything else is refused with a
// message that says what the file is and what to do.
#include <logad/export.hpp>
#include <logad/util/file_kinds.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace logad::util {

// Adds the envelope to `doc` and writes it atomically (a new file 0600 less the umask, a
// rewrite keeps its mode). Invalid UTF-8 in strings is replaced; packed arrays are written as
// the numbers they hold.
LOGAD_API void save_versioned(const std::filesystem::path& path, const FileKind& kind, nlohmann::json doc);

// The largest saved file a load reads: a model or state past it is refused before it is read.
inline constexpr std::size_t k_max_saved_file = std::size_t(1) << 30;

// Reads, parses and checks the envelope; throws FormatError/InputError naming the file. Refuses
// anything but a regular file, a file over k_max_saved_file, a key given twice in one object and
// nesting deeper than k_max_json_depth. Arrays of numbers inside a `detector.state` object come
// back packed (json_packed.hpp): read them with json_doubles / json_integers. Memory taken is
// about what the values need, not the file's text (never held whole).
LOGAD_API nlohmann::json load_versioned(const std::filesystem::path& path, const FileKind& kind);

// The same checks on a document already in memory (`origin` names it in messages).
void check_envelope(const nlohmann::json& doc, const FileKind& kind, std::string_view origin);

}  // namespace logad::util
