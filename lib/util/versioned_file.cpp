#include <logad/util/versioned_file.hpp>

#include <logad/error.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/json_depth.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace logad::util {

void save_versioned(const std::filesystem::path& path, const FileKind& kind, nlohmann::json doc) {
    doc["format"] = kind.name;
    doc["version"] = kind.version;
    // 0600 for a new file (less the umask): models and miner states hold log text, templates and
    // example lines. A rewrite keeps whatever mode the file was given.
    write_file_atomically(path, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", 0600);
}

void check_envelope(const nlohmann::json& doc, const FileKind& kind, std::string_view origin) {
    if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_string())
        throw FormatError(fmt::format("{} is not a {} file (no \"format\" field)", origin, kind.name));
    const auto format = doc["format"].get<std::string>();
    if (format != kind.name)
        throw FormatError(fmt::format("{} is a {} file, expected {}", origin, format, kind.name));
    if (!doc.contains("version") || !doc["version"].is_number_integer())
        throw FormatError(fmt::format("{} has no integer \"version\"; it is damaged", origin));
    const nlohmann::json& v = doc["version"];  // an integer; a huge one is simply "newer"
    const std::int64_t version = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX ? INT64_MAX : v.get<std::int64_t>();
    if (version > kind.version)
        throw FormatError(fmt::format("{} has {} version {}, newer than this logad reads ({}); upgrade logad",
                                      origin, kind.name, version, kind.version));
    if (version < kind.oldest_readable)
        throw FormatError(fmt::format("{} has {} version {}, too old for this logad (oldest {}); recreate it",
                                      origin, kind.name, version, kind.oldest_readable));
}

nlohmann::json load_versioned(const std::filesystem::path& path, const FileKind& kind) {
    const std::string text = read_file(path);
    if (json_too_deep(text))
        throw FormatError(fmt::format("{} nests JSON more than {} levels deep; it is damaged, recreate it", path.string(),
                                      k_max_json_depth));
    // A key given twice in one object is kept once by the parser (the last one wins), so an edit
    // or a splice could change a model silently: refuse the file instead. Keys seen per open object.
    std::vector<std::unordered_set<std::string>> open_objects;
    std::string duplicate;
    const nlohmann::json::parser_callback_t check_keys = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) open_objects.emplace_back();
        if (event == E::object_end && !open_objects.empty()) open_objects.pop_back();
        if (event == E::key && !open_objects.empty() && !open_objects.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty())
            duplicate = parsed.get<std::string>();
        return true;
    };
    nlohmann::json doc = nlohmann::json::parse(text, check_keys, false);
    if (doc.is_discarded())
        throw FormatError(fmt::format("{} is not valid JSON (truncated or edited?); recreate it", path.string()));
    if (!duplicate.empty())
        throw FormatError(fmt::format("{} holds the key \"{}\" twice in one object; the file is damaged or was edited, "
                                      "recreate it", path.string(), duplicate));
    check_envelope(doc, kind, path.string());
    return doc;
}

}  // namespace logad::util
