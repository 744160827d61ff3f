#include <logad/util/versioned_file.hpp>

#include <logad/error.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/json_depth.hpp>

#include <fmt/core.h>

#include <cstdint>

namespace logad::util {

void save_versioned(const std::filesystem::path& path, const FileKind& kind, nlohmann::json doc) {
    doc["format"] = kind.name;
    doc["version"] = kind.version;
    write_file_atomically(path, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
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
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded())
        throw FormatError(fmt::format("{} is not valid JSON (truncated or edited?); recreate it", path.string()));
    check_envelope(doc, kind, path.string());
    return doc;
}

}  // namespace logad::util
