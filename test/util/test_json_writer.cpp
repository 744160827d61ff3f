#include <logad/util/json_writer.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using logad::util::append_json_string;

TEST_CASE("JSON strings are escaped per RFC 8259", "[util]") {
    std::string out;
    append_json_string(out, "a\"b\\c\nd\te\x01");
    CHECK(out == R"("a\"b\\c\nd\te\u0001")");
    CHECK(nlohmann::json::parse(out).get<std::string>() == "a\"b\\c\nd\te\x01");
}

TEST_CASE("valid UTF-8 is kept byte for byte", "[util]") {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // café € 😀
    std::string out;
    append_json_string(out, text);
    CHECK(out == "\"" + text + "\"");
    CHECK(logad::util::is_valid_utf8(text));
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and the result parses", "[util]") {
    const std::string bad[] = {"\xFF", "\xC3", "\xC0\xAF" /* overlong */, "\xED\xA0\x80" /* surrogate */,
                               "\xF4\x90\x80\x80" /* > U+10FFFF */, std::string("nul\0byte", 8)};
    for (const std::string& b : bad) {
        std::string out;
        append_json_string(out, b);
        INFO(out);
        CHECK_NOTHROW(nlohmann::json::parse(out));
    }
    std::string out;
    append_json_string(out, "a\xFF" "b");
    CHECK(out == "\"a\xEF\xBF\xBD" "b\"");
    CHECK_FALSE(logad::util::is_valid_utf8("a\xFF"));
}

TEST_CASE("numbers: round trip, and null for NaN/Inf", "[util]") {
    std::string out;
    logad::util::append_json_number(out, 0.1);
    CHECK(out == "0.1");
    out.clear();
    logad::util::append_json_number(out, std::numeric_limits<double>::quiet_NaN());
    CHECK(out == "null");
}

TEST_CASE("JsonObject builds a parseable object", "[util]") {
    std::string out;
    logad::util::JsonObject o(out);
    o.key("a").integer(-3).key("b").str("x").key("c").boolean(true).key("d").raw("[1,2]");
    o.close();
    const auto j = nlohmann::json::parse(out);
    CHECK(j["a"] == -3);
    CHECK(j["b"] == "x");
    CHECK(j["c"] == true);
    CHECK(j["d"].size() == 2);
}

TEST_CASE("escaping finds a special byte at every offset of a long string", "[util]") {
    // The escaper checks eight bytes at a time: put each special byte at every position of
    // word-crossing strings and check the JSON decodes to the text (invalid bytes as U+FFFD).
    const std::string plain = "0123456789 abcdefghijklmnopqrstuvwxyz !#$%&()*+,-./[]^_`{|}~\x7f";
    struct Case {
        std::string byte, decoded;
    };
    const Case cases[] = {{"\"", "\""},           {"\\", "\\"},         {"\n", "\n"},
                          {std::string(1, '\0'), std::string(1, '\0')}, {"\x1f", "\x1f"},
                          {"\xC3\xA9", "\xC3\xA9"}, {"\xFF", "\xEF\xBF\xBD"}, {"\x80", "\xEF\xBF\xBD"}};
    for (const Case& c : cases) {
        for (std::size_t at = 0; at <= plain.size(); ++at) {
            const std::string text = plain.substr(0, at) + c.byte + plain.substr(at);
            std::string out = "prefix";
            append_json_string(out, text);
            INFO("offset " << at);
            REQUIRE(out.compare(0, 6, "prefix") == 0);
            CHECK(nlohmann::json::parse(out.substr(6)).get<std::string>() ==
                  plain.substr(0, at) + c.decoded + plain.substr(at));
        }
    }
    std::string out;
    append_json_string(out, plain);
    CHECK(out == "\"" + plain + "\"");  // nothing in it needs escaping
}

// The plain runs are found sixteen bytes at a time: an escape at every offset of a long string.
TEST_CASE("long strings: an escape or UTF-8 at any offset", "[util]") {
    const std::string plain(40, 'a');
    for (std::size_t at = 0; at < plain.size(); ++at) {
        INFO("offset " << at);
        for (const std::string_view c : {std::string_view("\""), std::string_view("\\"), std::string_view("\x01"),
                                         std::string_view("\x7F"), std::string_view("\xC3\xA9"),
                                         std::string_view("\xFF")}) {
            const std::string text = plain.substr(0, at) + std::string(c) + plain.substr(at);
            const std::string escaped = c == "\"" ? "\\\"" : c == "\\" ? "\\\\" : c == "\x01" ? "\\u0001"
                                        : c == "\xFF"                ? "\xEF\xBF\xBD"
                                                                     : std::string(c);
            std::string out;
            append_json_string(out, text);
            CHECK(out == "\"" + plain.substr(0, at) + escaped + plain.substr(at) + "\"");
        }
    }
}

// Strings under sixteen bytes are copied as two overlapping words: every length, with a byte to
// escape (or a UTF-8 sequence) at every offset, or none.
TEST_CASE("short strings: every length, an escape or UTF-8 at any offset", "[util]") {
    const std::string plain = "abcdefghijklmnopqrstu";
    for (std::size_t length = 0; length <= plain.size(); ++length) {
        const std::string base = plain.substr(0, length);
        std::string out;
        append_json_string(out, base);
        CHECK(out == "\"" + base + "\"");
        for (std::size_t at = 0; at <= length; ++at) {
            INFO("length " << length << ", offset " << at);
            for (const std::string_view c : {std::string_view("\""), std::string_view("\\"), std::string_view("\n"),
                                             std::string_view("\x01"), std::string_view("\xC3\xA9"),
                                             std::string_view("\xFF")}) {
                const std::string text = base.substr(0, at) + std::string(c) + base.substr(at);
                const std::string escaped = c == "\"" ? "\\\"" : c == "\\" ? "\\\\" : c == "\n" ? "\\n"
                                            : c == "\x01"                ? "\\u0001"
                                            : c == "\xFF"                ? "\xEF\xBF\xBD"
                                                                         : std::string(c);
                out = "x";
                append_json_string(out, text);
                CHECK(out == "x\"" + base.substr(0, at) + escaped + base.substr(at) + "\"");
            }
        }
    }
}
