// The JSON lines scanner (lib/parse/json_members.hpp) against nlohmann's DOM, its oracle. Each line
// of the input is one JSON line. Whatever the scanner accepts the DOM must accept as an object
// with the same members: the same keys in the same order, the same types, strings with the same
// text and every value with the JSON text dump() writes. And `--format json` must give the same
// record whether the scanner read the line or the DOM did (the DOM is made to read it by a
// member nested deeper than the scanner goes; envelopes are not unwrapped here, as the extra
// member would be one of their fields): the same records, or both refuse.
#include "fuzz_input.hpp"

#include "../lib/parse/formats.hpp"
#include "../lib/parse/json_members.hpp"

#include <logad/parse/line_format.hpp>
#include <logad/util/json_depth.hpp>

#include <memory>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

namespace {

using namespace logad;
using json = nlohmann::ordered_json;

std::string dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::strict); }

void check_members(std::string_view line) {
    static std::vector<parse::JsonMember> members;
    static std::string scratch, nested;
    if (line.empty() || line[0] != '{' || !parse::scan_shallow_object(line, members, scratch, nested)) return;
    LOGAD_FUZZ_CHECK(!util::json_too_deep(line));
    const json doc = json::parse(line.begin(), line.end(), nullptr, false);
    LOGAD_FUZZ_CHECK(!doc.is_discarded() && doc.is_object());
    LOGAD_FUZZ_CHECK(doc.size() == members.size());
    std::size_t k = 0;
    for (auto it = doc.begin(); it != doc.end(); ++it, ++k) {
        const parse::JsonMember& m = members[k];
        LOGAD_FUZZ_CHECK(m.key == it.key());
        const json& v = *it;
        switch (m.kind) {
            case parse::JsonKind::string:
                LOGAD_FUZZ_CHECK(v.is_string() && m.value == v.get_ref<const std::string&>());
                break;
            case parse::JsonKind::integer: LOGAD_FUZZ_CHECK(v.is_number_integer() && !v.is_number_unsigned()); break;
            case parse::JsonKind::unsigned_integer: LOGAD_FUZZ_CHECK(v.is_number_unsigned()); break;
            case parse::JsonKind::floating: LOGAD_FUZZ_CHECK(v.is_number_float()); break;
            case parse::JsonKind::literal: LOGAD_FUZZ_CHECK(v.is_boolean() || v.is_null()); break;
            case parse::JsonKind::composite: LOGAD_FUZZ_CHECK(v.is_structured()); break;
        }
        if (m.kind == parse::JsonKind::floating) {
            std::string text;
            parse::append_double_like_dump(text, m.floating);
            LOGAD_FUZZ_CHECK(text == dump(v));
        } else {
            if (m.json != dump(v)) __builtin_printf("scanner: %.*s\ndump:    %s\n", int(m.json.size()), m.json.data(), dump(v).c_str());
            LOGAD_FUZZ_CHECK(m.json == dump(v));
        }
    }
}

// The line with a member nested one level deeper than the scanner reads, before its last `}`,
// under a key the line does not hold (a repeated key would replace a member, not add one).
std::string with_deep_member(std::string_view line) {
    const auto close = line.rfind('}');
    if (close == std::string_view::npos) return std::string(line);
    std::string key = "zz_deep";
    while (line.find(key) != std::string_view::npos) key += '_';
    std::string out(line.substr(0, close));
    std::size_t last = out.find_last_not_of(" \t\r\n");
    out += last != std::string::npos && out[last] == '{' ? "" : ",";
    out += "\"" + key + "\":";
    out += std::string(parse::k_max_scan_depth + 1, '[') + std::string(parse::k_max_scan_depth + 1, ']');
    out += line.substr(close);
    return out;
}

void check_records(const parse::LineFormat& format, std::string_view line) {
    std::vector<parse::JsonMember> members;
    std::string scratch, nested;
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (!parse::scan_shallow_object(line.substr(i), members, scratch, nested)) return;  // the DOM reads both
    Record scanned, dom;
    const parse::LineResult::Kind a = format.parse(line, scanned).kind;
    const parse::LineResult::Kind b = format.parse(with_deep_member(line), dom).kind;
    LOGAD_FUZZ_CHECK(a == b);
    if (a == parse::LineResult::no_match) return;
    LOGAD_FUZZ_CHECK(scanned.level == dom.level && scanned.ts_ms == dom.ts_ms);
    // Without a message member the message is the line itself, as the scanner saw it (from its
    // first non-blank byte); the DOM's line holds the added member.
    LOGAD_FUZZ_CHECK(scanned.message == dom.message || scanned.message == line || scanned.message == line.substr(i));
    LOGAD_FUZZ_CHECK(scanned.fields.size() + 1 == dom.fields.size());
    for (std::size_t k = 0; k < scanned.fields.size(); ++k) {
        LOGAD_FUZZ_CHECK(scanned.fields[k].key == dom.fields[k].key);
        LOGAD_FUZZ_CHECK(scanned.fields[k].value == dom.fields[k].value);
        LOGAD_FUZZ_CHECK(scanned.fields[k].json == dom.fields[k].json);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<parse::LineFormat> format =
        parse::make_plain_json_format(parse::TimeContext::make(2026, {}));
    for (std::string_view line : fuzz::split_lines(fuzz::as_text(data, size))) {
        check_members(line);
        check_records(*format, line);
    }
    return 0;
}
