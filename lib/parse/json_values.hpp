#pragma once
// JSON member values -> Record pieces, shared by the JSON line format and the envelopes it
// unwraps (json_envelopes.cpp). Internal to lib/parse.
#include <logad/parse/timestamp.hpp>
#include <logad/record.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace logad::parse {

using ordered_json = nlohmann::ordered_json;  // keeps the members in the order the logger wrote them

// Compact JSON text; invalid UTF-8 replaced (logs carry it).
std::string json_text(const ordered_json& v);
// RFC 3339 text or an epoch number (s with fraction, ms, µs, ns by magnitude); k_no_time otherwise.
std::int64_t json_time(const ordered_json& v, const TimeContext& time);
// A level name or number (syslog 0-7, bunyan/pino 10-60); unknown otherwise.
Level json_level(const ordered_json& v);
// The string a member holds, or "" when it is missing or not a string.
std::string_view json_string(const ordered_json& object, std::string_view key);

}  // namespace logad::parse
