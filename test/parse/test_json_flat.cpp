// The JSON format reads flat and shallow objects with its own scanner and everything else with
// nlohmann's DOM; both must give the same record. The DOM is the oracle: the same line with a
// member nested deeper than the scanner reads appended goes through it, and its record must match
// member for member.
#include "../../lib/parse/json_members.hpp"

#include <logad/parse/line_format.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace logad;

namespace {

std::unique_ptr<parse::LineFormat> json_format_for_flat_test() {
    parse::FormatOptions o;
    o.format = "json";
    return parse::make_format(o);
}

Record parse_json_line(const parse::LineFormat& f, std::string_view line, parse::LineResult::Kind& kind) {
    Record r;
    r.clear();
    kind = f.parse(line, r).kind;
    return r;
}

// The line with `,"zz_nested":[[...[1]...]]` before its closing brace, nested one level deeper
// than the scanner reads: only the DOM reads that line.
std::string with_nested_member(std::string_view line) {
    const auto close = line.rfind('}');
    std::string out(line.substr(0, close));
    out += out.back() == '{' ? "" : ",";
    out += "\"zz_nested\":";
    out += std::string(parse::k_max_scan_depth + 1, '[') + "1" + std::string(parse::k_max_scan_depth + 1, ']');
    out += line.substr(close);
    return out;
}

}  // namespace

TEST_CASE("flat JSON lines give the record the DOM gives", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    const char* lines[] = {
        R"({"level":"info","ts":1700000000.5,"msg":"served","status":200,"ok":true,"x":null})",
        R"({"time":"2024-01-02T03:04:05Z","message":"a \"quoted\" word\n\tnext","path":"a\/b"})",
        R"({"msg":"caf\u00e9 \ud83d\ude00 é","esc":"\b\f\r\u0001\u001f","slash":"\\"})",
        R"(  { "msg" : "spaces" , "n" : -0 , "big" : 18446744073709551615 , "neg" : -9223372036854775808 } )",
        R"({"msg":"floats","a":1e3,"b":-0.0,"c":1.5E-7,"d":0.1,"e":123456789012345678901234567890})",
        R"({"MESSAGE":"journald","PRIORITY":"3","__REALTIME_TIMESTAMP":"1700000000123456"})",
        R"({"log":"docker line\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"})",
        R"({"log":"docker chunk","stream":"stdout"})",
        R"({"level":30,"time":1700000000123,"msg":"pino"})",
        R"({"msg":5,"severity":"WARNING"})",
        R"({"message":2.50,"lat":1e-7,"ts":1.7e9,"Ts":"later"})",
        R"({"no_message":"here","n":1})",
        R"({})",
    };
    for (const char* line : lines) {
        INFO(line);
        parse::LineResult::Kind flat_kind{}, dom_kind{};
        const Record flat = parse_json_line(*f, line, flat_kind);
        const std::string nested = with_nested_member(line);
        const Record dom = parse_json_line(*f, nested, dom_kind);
        CHECK(flat_kind == dom_kind);
        CHECK(flat.level == dom.level);
        CHECK(flat.ts_ms == dom.ts_ms);
        if (flat.message != std::string_view(line)) CHECK(flat.message == dom.message);  // else the line itself
        REQUIRE(flat.fields.size() + 1 == dom.fields.size());
        for (std::size_t i = 0; i < flat.fields.size(); ++i) {
            CHECK(flat.fields[i].key == dom.fields[i].key);
            CHECK(flat.fields[i].value == dom.fields[i].value);
            CHECK(flat.fields[i].json == dom.fields[i].json);
        }
    }
}

TEST_CASE("flat JSON values are written as nlohmann's dump writes them", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    parse::LineResult::Kind kind{};
    const Record r = parse_json_line(
        *f, R"({"msg":"m","f":1e3,"z":-0,"s":"\u00e9\/\b","t":"x\u0000y","u":"\ud83d\ude00"})", kind);
    REQUIRE(kind == parse::LineResult::record);
    REQUIRE(r.fields.size() == 5);
    CHECK(r.fields[0].value == "1000.0");
    CHECK(r.fields[1].value == "0");
    CHECK(r.fields[2].value == "\"\xC3\xA9/\\b\"");
    CHECK(r.fields[3].value == "\"x\\u0000y\"");
    CHECK(r.fields[4].value == "\"\xF0\x9F\x98\x80\"");
}

TEST_CASE("lines the flat scanner declines still parse or fail as JSON", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    parse::LineResult::Kind kind{};
    // a repeated key: the DOM keeps the last value in the first place
    Record r = parse_json_line(*f, R"({"msg":"m","a":1,"b":2,"a":3})", kind);
    CHECK(kind == parse::LineResult::record);
    REQUIRE(r.fields.size() == 2);
    CHECK(r.fields[0].key == "a");
    CHECK(r.fields[0].value == "3");
    // invalid UTF-8 is replaced, a lone surrogate or trailing text is invalid JSON
    r = parse_json_line(*f, "{\"msg\":\"bad \xFF byte\"}", kind);
    CHECK(kind == parse::LineResult::record);
    CHECK(r.message == "bad \xEF\xBF\xBD byte");
    for (const char* bad : {R"({"msg":"\ud800"})", R"({"msg":"m"} x)", R"({"msg":"m",})", R"({"msg":01})",
                            R"({"msg":"m","a":tru})", "{\"msg\":\"tab\there\"}"}) {
        INFO(bad);
        parse_json_line(*f, bad, kind);
        CHECK(kind == parse::LineResult::no_match);
    }
}

// Strings are scanned sixteen bytes at a time: an escape or a UTF-8 sequence at every offset of
// a long value reads as the DOM reads it.
TEST_CASE("flat JSON strings: an escape or UTF-8 at any offset", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    const std::string plain(40, 'a');
    for (std::size_t at = 0; at <= plain.size(); ++at) {
        for (const char* insert : {"\\\"", "\\\\", "\\n", "\\u00e9", "\xC3\xA9", "\\ud83d\\ude00", "/"}) {
            const std::string value = plain.substr(0, at) + insert + plain.substr(at);
            const std::string line = R"({"msg":")" + value + R"(","k":")" + value + R"("})";
            INFO(line);
            parse::LineResult::Kind flat_kind{}, dom_kind{};
            const Record flat = parse_json_line(*f, line, flat_kind);
            const Record dom = parse_json_line(*f, with_nested_member(line), dom_kind);
            REQUIRE(flat_kind == parse::LineResult::record);
            CHECK(flat.message == dom.message);
            REQUIRE(flat.fields.size() == 1);
            CHECK(flat.fields[0].value == dom.fields[0].value);
        }
    }
}

// Nested objects and arrays up to k_max_scan_depth are read by the scanner too, each kept as the
// text dump() writes for it.
TEST_CASE("shallow JSON lines give the record the DOM gives", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    const char* lines[] = {
        R"({"level":"info","msg":"m","user":{"id":1,"role":"admin"},"tags":["a","b\n",""],"e":[],"o":{}})",
        R"({ "msg" : "spaces" , "o" : { "a" : [ 1 , 2.50 , -0 , 1e3 , true , null , { } , [ ] ] , "b" : -7 } })",
        R"({"msg":"escapes inside","o":{"s":"caf\u00e9 \"q\" \/ \ud83d\ude00 \u0001","t":"é"},"a":["\\","\t"]})",
        R"({"message":{"text":"an object as the message"},"ts":1700000000.25})",
        R"({"msg":"deep","d":[[[[[[[1]]]]]]],"n":{"a":{"b":{"c":{"d":{"e":{"f":{}}}}}}}})",
        R"({"msg":"repeated key in a nested object","o":{"k":1,"k":2}})",
        R"({"msg":"escaped key in a nested object","o":{"\u006b":1}})",
        R"({"msg":"same key at two levels","k":{"k":{"k":1}},"j":[{"k":1},{"k":2}]})",
        R"({"log":{"level":"warn","logger":"http"},"msg":"ECS log object"})",
        R"({"log":{"logger":"http"},"msg":"log object without a level"})",
        R"({"msg":"big numbers inside","o":[18446744073709551615,-9223372036854775808,1.5E-7,123456789012345678901234567890]})",
    };
    for (const char* line : lines) {
        INFO(line);
        parse::LineResult::Kind scanned_kind{}, dom_kind{};
        const Record scanned = parse_json_line(*f, line, scanned_kind);
        const Record dom = parse_json_line(*f, with_nested_member(line), dom_kind);
        CHECK(scanned_kind == dom_kind);
        CHECK(scanned.level == dom.level);
        CHECK(scanned.ts_ms == dom.ts_ms);
        CHECK(scanned.message == dom.message);
        REQUIRE(scanned.fields.size() + 1 == dom.fields.size());
        for (std::size_t i = 0; i < scanned.fields.size(); ++i) {
            CHECK(scanned.fields[i].key == dom.fields[i].key);
            CHECK(scanned.fields[i].value == dom.fields[i].value);
            CHECK(scanned.fields[i].json == dom.fields[i].json);
        }
    }
}

TEST_CASE("the scanner keeps a nested value as dump writes it and leaves deeper ones to the DOM", "[parse][json]") {
    std::vector<parse::JsonMember> members;
    std::string scratch, nested;
    REQUIRE(parse::scan_shallow_object(R"({"o" : { "b" : [ 1e3, -0, "x\u00e9\n", {} ], "a" : null }})", members,
                                       scratch, nested));
    REQUIRE(members.size() == 1);
    CHECK(members[0].kind == parse::JsonKind::composite);
    CHECK(members[0].json == R"({"b":[1000.0,0,"xé\n",{}],"a":null})");

    const std::string deepest = std::string(parse::k_max_scan_depth, '[') + std::string(parse::k_max_scan_depth, ']');
    CHECK(parse::scan_shallow_object(R"({"a":)" + deepest + "}", members, scratch, nested));
    CHECK_FALSE(parse::scan_shallow_object(R"({"a":[)" + deepest + "]}", members, scratch, nested));
    for (const char* declined : {R"({"a":{"k":1,"k":2}})", R"({"a":{"\u006b":1}})", R"({"a":[1,]})", R"({"a":{"k"}})",
                                 R"({"a":[1 2]})", R"({"a":{"k":1}]})", R"({"a":[01]})", R"({"a":[1e999]})"}) {
        INFO(declined);
        CHECK_FALSE(parse::scan_shallow_object(declined, members, scratch, nested));
    }
}

TEST_CASE("envelopes known by a nested member are still unwrapped", "[parse][json]") {
    const auto f = json_format_for_flat_test();
    parse::LineResult::Kind kind{};
    // a Cloud Logging entry known by jsonPayload and resource alone
    Record r = parse_json_line(
        *f, R"({"jsonPayload":{"message":"cart updated"},"resource":{"type":"k8s_container"},"severity":"ERROR"})", kind);
    CHECK(kind == parse::LineResult::record);
    CHECK(r.message == "cart updated");
    CHECK(r.level == Level::error);
    // an ECS document known by its nested ecs.version
    r = parse_json_line(*f, R"({"ecs":{"version":"8.11.0"},"log":{"level":"warn"},"message":"circuit open"})", kind);
    CHECK(kind == parse::LineResult::record);
    CHECK(r.message == "circuit open");
    CHECK(r.level == Level::warn);
}
