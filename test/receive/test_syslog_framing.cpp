#include <logad/receive/syslog_framing.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

using logad::receive::SyslogFramer;

struct Framed {
    std::vector<std::string> messages;
    bool ok = true;
};

// Feeds `stream` in pieces of `chunk` bytes (0: all at once), then ends it.
Framed frame_stream(const std::string& stream, std::size_t chunk, std::size_t max = 1024, SyslogFramer* keep = nullptr) {
    SyslogFramer local(max);
    SyslogFramer& f = keep ? *keep : local;
    Framed out;
    const auto emit = [&](std::string_view m) { out.messages.emplace_back(m); };
    const std::size_t step = chunk == 0 ? stream.size() : chunk;
    for (std::size_t i = 0; i < stream.size() && out.ok; i += step) out.ok = f.feed(std::string_view(stream).substr(i, step), emit);
    if (out.ok) f.finish(emit);
    return out;
}

}  // namespace

TEST_CASE("syslog framing: LF and octet counting, chosen per message, across any split of the reads", "[receive]") {
    const std::string a = "<13>1 2026-12-07T09:00:00Z web-1 billing 42 - - paid 12 EUR";
    const std::string b = "<14>Dec  7 09:00:01 web-2 cart[7]: added item\nwith a second line";  // octet count keeps the LF
    const std::string c = "<11>Dec  7 09:00:02 web-3 auth: login failed";
    const std::string stream = a + "\n" + std::to_string(b.size()) + " " + b + c + "\r\n";
    for (std::size_t chunk : {0, 1, 2, 3, 7, 64}) {
        INFO("chunk " << chunk);
        const Framed f = frame_stream(stream, chunk);
        CHECK(f.ok);
        REQUIRE(f.messages.size() == 3);
        CHECK(f.messages[0] == a);
        CHECK(f.messages[1] == b);
        CHECK(f.messages[2] == c);  // CR before the LF dropped
    }
}

TEST_CASE("syslog framing: an octet count split across packets, and line breaks between frames", "[receive]") {
    SyslogFramer f(1024);
    std::vector<std::string> got;
    const auto emit = [&](std::string_view m) { got.emplace_back(m); };
    CHECK(f.feed("1", emit));
    CHECK(f.feed("1 hello", emit));
    CHECK(got.empty());
    CHECK(f.feed(" world\n\n5 abcde", emit));
    REQUIRE(got.size() == 2);
    CHECK(got[0] == "hello world");
    CHECK(got[1] == "abcde");
}

TEST_CASE("syslog framing: a line starting with digits but no count is a line", "[receive]") {
    const Framed f = frame_stream("2026-12-07T09:00:00Z web-1 app: started\n42\n", 3);
    REQUIRE(f.messages.size() == 2);
    CHECK(f.messages[0] == "2026-12-07T09:00:00Z web-1 app: started");
    CHECK(f.messages[1] == "42");
}

TEST_CASE("syslog framing: messages over the cap are cut and counted, the stream stays in step", "[receive]") {
    SyslogFramer f(16);
    const std::string long_line(100, 'x');
    const std::string long_frame(50, 'y');
    const Framed r = frame_stream(long_line + "\n50 " + long_frame + "<13>next\n", 5, 16, &f);
    CHECK(r.ok);
    REQUIRE(r.messages.size() == 3);
    CHECK(r.messages[0] == std::string(16, 'x'));
    CHECK(r.messages[1] == std::string(16, 'y'));
    CHECK(r.messages[2] == "<13>next");
    CHECK(f.truncated() == 2);
}

TEST_CASE("syslog framing: a count of more than 9 digits is a clear error, not a huge allocation", "[receive]") {
    SyslogFramer f(1024);
    std::vector<std::string> got;
    CHECK_FALSE(f.feed("12345678901 x", [&](std::string_view m) { got.emplace_back(m); }));
    CHECK(got.empty());
    CHECK(f.error().find("octet count") != std::string::npos);
    CHECK_FALSE(f.feed("<13>more\n", [&](std::string_view m) { got.emplace_back(m); }));  // stays stopped
    CHECK(got.empty());
}

TEST_CASE("syslog framing: a huge but valid count skips its octets without holding them", "[receive]") {
    SyslogFramer f(64);
    std::vector<std::string> got;
    const auto emit = [&](std::string_view m) { got.emplace_back(m); };
    REQUIRE(f.feed("999999999 ", emit));
    const std::string block(1 << 20, 'z');
    for (int i = 0; i < 20; ++i) REQUIRE(f.feed(block, emit));  // 20 MiB of one frame
    CHECK(got.empty());
    f.finish(emit);  // the peer gave up: the frame is incomplete, dropped and counted
    CHECK(got.empty());
    CHECK(f.incomplete() == 1);
}

TEST_CASE("syslog framing: an unterminated last line is delivered when the peer closes", "[receive]") {
    const Framed f = frame_stream("<13>one\n<13>two", 4);
    REQUIRE(f.messages.size() == 2);
    CHECK(f.messages[1] == "<13>two");
}

TEST_CASE("syslog framing: random streams and random splits (a small fuzz): bounded messages, same framing", "[receive]") {
    std::mt19937 rng(15);
    const auto below = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    for (int round = 0; round < 300; ++round) {
        // Well-framed messages, octet counted or LF framed, with random bytes inside.
        std::vector<std::string> sent;
        std::string stream;
        for (std::size_t m = 0, n = 1 + below(20); m < n; ++m) {
            std::string msg = "<" + std::to_string(below(192)) + ">";
            for (std::size_t k = 0, len = below(80); k < len; ++k) msg += static_cast<char>(below(256));
            const bool counted = below(2) == 0;
            if (!counted) {  // an LF frame ends at the first LF and drops a CR before it
                msg.erase(std::remove(msg.begin(), msg.end(), '\n'), msg.end());
                while (!msg.empty() && msg.back() == '\r') msg.pop_back();
                if (msg.size() <= 1 && msg.find('<') == std::string::npos) continue;
            } else {
                while (!msg.empty() && (msg.back() == '\n' || msg.back() == '\r')) msg.pop_back();
            }
            stream += counted ? std::to_string(msg.size()) + " " + msg : msg + "\n";
            sent.push_back(msg);
        }
        SyslogFramer whole(4096), split(4096);
        std::vector<std::string> a, b;
        REQUIRE(whole.feed(stream, [&](std::string_view m) { a.emplace_back(m); }));
        whole.finish([&](std::string_view m) { a.emplace_back(m); });
        for (std::size_t i = 0; i < stream.size();) {
            const std::size_t n = 1 + below(16);
            REQUIRE(split.feed(std::string_view(stream).substr(i, n), [&](std::string_view m) { b.emplace_back(m); }));
            i += n;
        }
        split.finish([&](std::string_view m) { b.emplace_back(m); });
        CHECK(a == sent);
        CHECK(b == sent);

        // Pure noise: never a crash, never a message over the cap.
        std::string noise(below(4096) + 1, '\0');
        for (char& c : noise) c = static_cast<char>(below(256));
        SyslogFramer f(64);
        for (std::size_t i = 0; i < noise.size();) {
            const std::size_t n = 1 + below(64);
            if (!f.feed(std::string_view(noise).substr(i, n), [&](std::string_view m) { CHECK(m.size() <= 64); })) break;
            i += n;
        }
        f.finish([&](std::string_view m) { CHECK(m.size() <= 64); });
    }
}
