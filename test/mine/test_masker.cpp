// Masking: each kind of variable on realistic log text, the masked form and the parameters.
#include <logad/error.hpp>
#include <logad/mine/masker.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace logad;
using namespace logad::mine;

namespace {

struct Masked {
    std::string text;
    std::vector<std::pair<std::string, ParamKind>> params;
};

Masked run(std::string_view message, const std::vector<UserMask>& user = {}) {
    const Masker masker(user);
    MaskedMessage out;
    masker.mask(message, out);
    Masked m{out.text, {}};
    for (const MaskedParam& p : out.params) m.params.emplace_back(std::string(message.substr(p.begin, p.size)), p.kind);
    return m;
}

ParamKind kind_of(std::string_view token) {
    ParamKind k = ParamKind::word;
    REQUIRE(classify_token(token, k));
    return k;
}

}  // namespace

TEST_CASE("whole tokens are classified by kind", "[mine]") {
    CHECK(kind_of("42") == ParamKind::number);
    CHECK(kind_of("-17") == ParamKind::number);
    CHECK(kind_of("3.14") == ParamKind::number);
    CHECK(kind_of("0x7ff1b2d17980") == ParamKind::hex);
    CHECK(kind_of("deadbeef01") == ParamKind::hex);
    CHECK(kind_of("10.251.42.84") == ParamKind::ip);
    CHECK(kind_of("10.251.42.84:50010") == ParamKind::ip);
    CHECK(kind_of("fe80::1ff:fe23:4567:890a") == ParamKind::ip);
    CHECK(kind_of("[2001:db8::1]:443") == ParamKind::ip);
    CHECK(kind_of("96abccce-8d1f-4e07-b6d1-4b2ab87e23b4") == ParamKind::uuid);
    CHECK(kind_of("/var/log/nginx/access.log") == ParamKind::path);
    CHECK(kind_of("C:\\Windows\\System32") == ParamKind::path);
    CHECK(kind_of("https://example.com/a?b=1") == ParamKind::url);
    CHECK(kind_of("alice@example.org") == ParamKind::email);
    CHECK(kind_of("12ms") == ParamKind::duration);
    CHECK(kind_of("1.5s") == ParamKind::duration);
    CHECK(kind_of("3.5GB") == ParamKind::size);
    CHECK(kind_of("512KiB") == ParamKind::size);
    CHECK(kind_of("15:16:01") == ParamKind::time);
    CHECK(kind_of("2015-10-18") == ParamKind::time);
    CHECK(kind_of("2015-10-18T18:01:47.978Z") == ParamKind::time);
    CHECK(kind_of("18:01:47,978") == ParamKind::time);

    ParamKind k;
    CHECK_FALSE(classify_token("hello", k));
    CHECK_FALSE(classify_token("org.apache.hadoop.mapreduce.Job", k));  // a class, not a host
    CHECK_FALSE(classify_token("", k));
}

TEST_CASE("variables inside tokens keep their punctuation", "[mine]") {
    const Masked m = run("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010");
    CHECK(m.text == "Receiving block <*> src: <*> dest: <*>");
    REQUIRE(m.params.size() == 3);
    CHECK(m.params[0] == std::make_pair(std::string("blk_-1608999687919862906"), ParamKind::id));
    CHECK(m.params[1] == std::make_pair(std::string("/10.250.19.102:54106"), ParamKind::ip));

    CHECK(run("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4").text ==
          "authentication failure; logname= uid=<*> euid=<*> tty=NODEVssh ruser= rhost=<*>");
    CHECK(run("onExtend:1514038530000 14 0 4").text == "onExtend:<*> <*>");
    CHECK(run("IOThunderboltSwitch<0>(0x0)::listenerCallback").text == "IOThunderboltSwitch<*>(<*>)::listenerCallback");
    CHECK(run("instruction cache parity error corrected on core.2275").text ==
          "instruction cache parity error corrected on <*>");
    CHECK(run("Adding #3 tokens").text == "Adding #<*> tokens");
}

TEST_CASE("key=value values are masked when they hold data", "[mine]") {
    const Masked m = run("session opened user=root tty=pts/1 ws=null mode=Fast");
    CHECK(m.text == "session opened user=<*> tty=<*> ws=<*> mode=Fast");
    REQUIRE(m.params.size() == 3);
    CHECK(m.params[0].first == "root");
    CHECK(m.params[0].second == ParamKind::kv);
    CHECK(m.params[1].first == "pts/1");
    CHECK(run("overlap:false isOverlap:true,").text == "overlap:<*> isOverlap:<*>,");
}

TEST_CASE("sizes and durations take their unit along", "[mine]") {
    const Masked m = run("Block stored (estimated size 93.0 B, free 317.1 KB) in 12 ms");
    CHECK(m.text == "Block stored (estimated size <*>, free <*>) in <*>");
    REQUIRE(m.params.size() == 3);
    CHECK(m.params[0] == std::make_pair(std::string("93.0 B"), ParamKind::size));
    CHECK(m.params[1] == std::make_pair(std::string("317.1 KB"), ParamKind::size));
    CHECK(m.params[2] == std::make_pair(std::string("12 ms"), ParamKind::duration));
}

TEST_CASE("dates spread over tokens become one variable", "[mine]") {
    const Masked m = run("connection from 10.0.0.1 at Sat Jun 18 02:08:10 2005 done");
    CHECK(m.text == "connection from <*> at <*> done");
    REQUIRE(m.params.size() == 6);  // the ip, then Sat Jun 18 02:08:10 2005
    CHECK(m.params[1].first == "Sat");
    CHECK(m.params[1].second == ParamKind::time);
    CHECK(m.params[4].second == ParamKind::time);
    // a month name alone is a word
    CHECK(run("Report for May is ready").text == "Report for May is ready");
}

TEST_CASE("hosts, e-mail, URLs and paths are whole variables", "[mine]") {
    CHECK(run("proxy.cse.cuhk.edu.hk:5070 open through proxy socks.example.com:1080 HTTPS").text ==
          "<*> open through proxy <*> HTTPS");
    CHECK(run("mail from bob@example.com to carol@example.net").text == "mail from <*> to <*>");
    CHECK(run("GET https://api.example.com/v2/servers failed").text == "GET <*> failed");
    CHECK(run("cannot open /etc/ssl/certs/ca.pem: denied").text == "cannot open <*>: denied");
}

TEST_CASE("protocol and device names with a digit stay words", "[mine]") {
    CHECK(run("Failed password for root from 10.0.0.1 port 22 ssh2").text ==
          "Failed password for root from <*> port <*> ssh2");
    CHECK(run("ARPT: wl0: MDNS: IPV6 Addr: fe80::1ff:fe23:4567:890a").text == "ARPT: wl0: MDNS: IPV6 Addr: <*>");
}

TEST_CASE("whitespace runs, empty and odd input", "[mine]") {
    CHECK(run("").text.empty());
    CHECK(run("   \t ").text.empty());
    CHECK(run("a   b\tc\r").text == "a b c");
    const std::string junk("\x01\xff\xfe bad\0byte 12", 16);
    const Masked m = run(junk);
    CHECK(m.text.find("<*>") != std::string::npos);
}

TEST_CASE("user masks come first and may span spaces", "[mine]") {
    const std::vector<UserMask> user{{"order", "ORD-[A-Z]+"}, {"name", "John Smith"}};
    const Masked m = run("order ORD-ABC placed by John Smith id:ORD-XYZ", user);
    CHECK(m.text == "order <*> placed by <*> id:<*>");
    REQUIRE(m.params.size() == 3);
    CHECK(m.params[0] == std::make_pair(std::string("ORD-ABC"), ParamKind::user));
    CHECK(m.params[1] == std::make_pair(std::string("John Smith"), ParamKind::user));
    CHECK(m.params[2].first == "ORD-XYZ");
}

TEST_CASE("a bad user mask is a usage error naming the mask", "[mine]") {
    try {
        Masker masker(std::vector<UserMask>{{"broken", "(unclosed"}});
        FAIL("expected UsageError");
    } catch (const UsageError& e) {
        CHECK_THAT(e.what(), Catch::Contains("broken") && Catch::Contains("missing )"));
    }
}

TEST_CASE("masking leaves no fragments of a variable", "[mine]") {
    // a `<` or `>` touching a value is part of it
    const Masked lifetime = run("close, lifetime <1 sec");
    CHECK(lifetime.text == "close, lifetime <*>");
    REQUIRE(lifetime.params.size() == 1);
    CHECK(lifetime.params[0].first == "<1 sec");
    CHECK(run("close, lifetime 00:02").text == "close, lifetime <*>");
    for (const char* m : {"IOThunderboltSwitch<0>(0x0)::listenerCallback", "[<c0123abc>] do_page_fault+0x1a/0x50",
                          "value <12> and <0x1f>", "ids 12ab-34cd-5678, 0x1f0x2e"}) {
        const std::string text = run(m).text;
        INFO(m << " -> " << text);
        CHECK(text.find("<<*>") == std::string::npos);
        CHECK(text.find("<*>>") == std::string::npos);
        CHECK(text.find("<*><*>") == std::string::npos);
    }
}

TEST_CASE("a stack frame keeps its symbol and masks its address and offsets", "[mine]") {
    const Masked frame = run("[<c0123abc>] do_page_fault+0x1a/0x50");
    CHECK(frame.text == "[<*>] do_page_fault+<*>/<*>");
    REQUIRE(frame.params.size() == 3);
    CHECK(frame.params[0].first == "<c0123abc>");
    CHECK(frame.params[1].first == "0x1a");
    CHECK(frame.params[2].first == "0x50");
    CHECK(run(" [<ffffffff8108a1b2>] warn_slowpath_common+0x7f/0xc0").text == "[<*>] warn_slowpath_common+<*>/<*>");
    CHECK(run("#3 libc.so.6+0x29d90").text == "#<*> libc.so.6+<*>");
}

TEST_CASE("a size with or without a detail in brackets is one value", "[mine]") {
    // the rule: a size or duration followed by the same amount in other units in brackets
    const Masked with = run("1268 bytes (1.23 KB) sent, 6274 bytes (6.12 KB) received");
    CHECK(with.text == "<*> sent, <*> received");
    REQUIRE(with.params.size() == 2);
    CHECK(with.params[0] == std::make_pair(std::string("1268 bytes (1.23 KB)"), ParamKind::size));
    CHECK(run("451 bytes sent, 422 bytes received").text == with.text);
    CHECK(run("stored file a.pdf: 512 bytes (0.5 KB)").text == "stored file a.pdf: <*>");
    CHECK(run("stored file a.pdf: 512 bytes").text == "stored file a.pdf: <*>");
    // brackets that are not the same amount stay apart
    CHECK(run("451 bytes (compressed) sent").text == "<*> (compressed) sent");
}

TEST_CASE("a quoted run of plain words is one value", "[mine]") {
    const Masked q = run(R"(search "red running shoes" returned 4 results)");
    CHECK(q.text == R"(search "<*>" returned <*> results)");
    REQUIRE(q.params.size() == 2);
    CHECK(q.params[0] == std::make_pair(std::string("red running shoes"), ParamKind::word));
    CHECK(run(R"(search 'winter jacket', page 2)").text == R"(search '<*>', page <*>)");
    // a single quoted word stays a word; a request line is masked token by token
    CHECK(run(R"(search "lamp" returned 4 results)").text == R"(search "lamp" returned <*> results)");
    CHECK(run(R"("GET /api/items/12 HTTP/1.1" 200)").text == R"("GET <*> <*>" <*>)");
}

// Tokens are found sixteen bytes at a time: a digit or a separator at every offset of long
// tokens must be seen exactly as one byte at a time would see it.
TEST_CASE("long tokens: a digit or a space at any offset", "[mine]") {
    const std::string letters = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop";  // 42 bytes
    for (std::size_t at = 0; at < 40; ++at) {
        INFO("offset " << at);
        std::string digit = letters;
        digit[at] = '7';
        const Masked with_digit = run("x " + digit + " y");
        CHECK(with_digit.text == "x <*> y");
        REQUIRE(with_digit.params.size() == 1);
        CHECK(with_digit.params[0].first == digit);
        for (const char sep : {' ', '\t', '\r', '\f', '\v', '\n'}) {
            std::string split = letters;
            split[at] = sep;
            const Masked plain = run(split + " 12");
            const std::string words = at == 0 ? letters.substr(1) : letters.substr(0, at) + " " + letters.substr(at + 1);
            CHECK(plain.text == words + " <*>");
        }
    }
    // a digit after the first space of a 16-byte window belongs to the next token
    CHECK(run("abcdefgh ijklmnop1 qrst").text == "abcdefgh <*> qrst");
    CHECK(run("abcdefghijklmno p5").text == "abcdefghijklmno <*>");
}
