// The JSON format reads flat objects with its own scanner and everything else with nlohmann's
// DOM; both must give the same record. The DOM is the oracle: the same line with a nested member
// appended goes through it, and its record must match member for member.
#include <logad/parse/line_format.hpp>

#include <catch2/catch.hpp>

#include <string>

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

// The line with `,"zz_nested":{"a":[1]}` before its closing brace: only the DOM reads that.
std::string with_nested_member(std::string_view line) {
    const auto close = line.rfind('}');
    std::string out(line.substr(0, close));
    out += out.back() == '{' ? "" : ",";
    out += "\"zz_nested\":{\"a\":[1]}";
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
