#include <logad/io/input_kind.hpp>

#include <logad/util/json_depth.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace logad::io {
namespace {

bool looks_numeric_csv(std::string_view line) {
    for (char c : line)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '.' || c == '-' || c == '+' || c == 'e' ||
              c == 'E' || c == ' ' || c == '\t' || c == '\r'))
            return false;
    return std::any_of(line.begin(), line.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// `cpu load,latency_ms,errors (%)`: at least two comma-separated names, each short, of one or two
// words, not starting with a digit or a space and without ':' or '='. Log lines fail it: they
// write ", ", run longer, and put a time (log4j: `10:00:00,123`) or numbers after their commas.
bool looks_like_csv_header(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t fields = 0;
    for (std::size_t start = 0;;) {
        const std::size_t comma = std::min(line.find(',', start), line.size());
        const std::string_view name = line.substr(start, comma - start);
        if (name.empty() || name.size() > 48 || name.front() == ' ' || name.back() == ' ' ||
            std::isdigit(static_cast<unsigned char>(name.front())) || std::count(name.begin(), name.end(), ' ') > 1 ||
            name.find_first_of("\t:=\"[]{}") != std::string_view::npos)
            return false;
        ++fields;
        if (comma == line.size()) break;
        start = comma + 1;
    }
    return fields >= 2;
}

nlohmann::json parse_json(std::string_view line) {
    if (util::json_too_deep(line)) return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(line, nullptr, false);
}

// A table row of the NDJSON-array kind: a non-empty JSON array holding only numbers.
bool is_number_array(const nlohmann::json& j) {
    return j.is_array() && !j.empty() && std::all_of(j.begin(), j.end(), [](const auto& v) { return v.is_number(); });
}

}  // namespace

InputKind classify_input(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return InputKind::logs;
    if (line.front() == '[') return is_number_array(parse_json(line)) ? InputKind::table : InputKind::logs;
    if (line.front() == '{') {
        const nlohmann::json j = parse_json(line);
        if (j.is_object()) {
            if (j.contains("features") || j.contains("feature_space")) return InputKind::table;
            if (j.contains("names") && !j.contains("message")) return InputKind::table;  // a table's header row
            if (const auto kind = j.find("logad"); kind != j.end() && *kind == "event") return InputKind::events;
            // Events written before they said what they are (logad 0.1): told by their keys.
            if (j.contains("template_id") && j.contains("message")) return InputKind::events;
        }
        return InputKind::logs;
    }
    if (looks_numeric_csv(line)) return InputKind::table;
    return looks_like_csv_header(line) ? InputKind::table : InputKind::logs;
}

InputKind resolve_input_kind(std::string_view first_line, InputClaim claim) {
    if (claim == InputClaim::table) return InputKind::table;
    const InputKind guess = classify_input(first_line);
    return claim == InputClaim::logs && guess == InputKind::table ? InputKind::logs : guess;
}

}  // namespace logad::io
