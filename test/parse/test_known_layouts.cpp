// Auto mode's known layouts (klog, Python logging, Ruby Logger, gunicorn, uvicorn, Laravel,
// Windows CBS, alternatives.log, BGL, Thunderbird, HPC, OpenStack), CRI lines carrying JSON, and
// --tz. Expected epoch values computed independently with Python's datetime and zoneinfo.
#include <logad/error.hpp>
#include <logad/parse/known_layouts.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/parse/timestamp.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "../support/support.hpp"

using namespace logad;

namespace {

Record parse_auto(std::string_view line, const std::string& tz = {}) {
    parse::FormatOptions o;
    o.year = 2024;
    o.tz = tz;
    const auto format = parse::make_format(o);
    Record r;
    const auto res = format->parse(line, r);
    REQUIRE(res.kind == parse::LineResult::record);
    return r;
}

}  // namespace

TEST_CASE("every known layout's samples parse in auto mode with their time and level", "[parse]") {
    for (const auto& layout : parse::known_layouts()) {
        const bool has_time = layout.pattern.find("?P<ts>") != std::string_view::npos;
        for (std::string_view sample : layout.samples) {
            INFO(layout.name << ": " << sample);
            const Record r = parse_auto(sample);
            CHECK(r.has_time() == has_time);
            if (layout.has_level) CHECK(r.level != Level::unknown);
            CHECK(!r.message.empty());
            CHECK(r.message.size() < sample.size());  // the header was taken off
        }
    }
}

TEST_CASE("known layouts: exact time, level, message and fields", "[parse]") {
    Record r = parse_auto("I1201 08:00:03.123456       1 controller.go:116] Starting controller");
    CHECK(r.ts_ms == 1733040003123);  // klog has no year: the context's (2024)
    CHECK(r.level == Level::info);
    CHECK(r.message == "Starting controller");
    CHECK(logad::test::field(r, "source") == "controller.go:116");

    r = parse_auto("2024-01-01 10:00:00,123 - app.db - ERROR - connection lost");
    CHECK(r.ts_ms == 1704103200123);
    CHECK(r.level == Level::error);
    CHECK(r.message == "connection lost");
    CHECK(logad::test::field(r, "logger") == "app.db");

    r = parse_auto("E, [2024-01-01T10:00:00.123456 #1234] ERROR -- worker: job failed");
    CHECK(r.ts_ms == 1704103200123);
    CHECK(r.level == Level::error);
    CHECK(r.message == "job failed");
    CHECK(logad::test::field(r, "pid") == "1234");

    r = parse_auto("[2024-01-01 10:00:00 +0100] [123] [WARNING] Worker exiting");
    CHECK(r.ts_ms == 1704099600000);  // its own offset
    CHECK(r.level == Level::warn);

    r = parse_auto("[2024-01-01 10:00:00] production.ERROR: Undefined variable $user");
    CHECK(r.level == Level::error);
    CHECK(r.message == "Undefined variable $user");
    CHECK(logad::test::field(r, "channel") == "production");

    r = parse_auto(R"(INFO:     127.0.0.1:1234 - "GET / HTTP/1.1" 200 OK)");
    CHECK(r.level == Level::info);
    CHECK(r.message == R"(127.0.0.1:1234 - "GET / HTTP/1.1" 200 OK)");

    r = parse_auto("2016-09-28 04:30:30, Info                  CBS    Scavenge pass started");
    CHECK(r.ts_ms == 1475037030000);  // the time of day is kept, not only the date
    CHECK(r.level == Level::info);
    CHECK(logad::test::field(r, "component") == "CBS");
    CHECK(r.message == "Scavenge pass started");

    r = parse_auto("update-alternatives 2024-01-01 10:00:00: run with --auto editor");
    CHECK(r.ts_ms == 1704103200000);
    CHECK(r.message == "run with --auto editor");

    // BGL: the epoch column is the time (its local clock 15:42:50 is America/Los_Angeles).
    r = parse_auto("- 1117838570 2005.06.03 R01-M0-N2 2005-06-03-15.42.50.675872 R01-M0-N2 RAS KERNEL FATAL "
                   "rts panic");
    CHECK(r.ts_ms == 1117838570000);
    CHECK(r.level == Level::fatal);
    CHECK(r.message == "rts panic");
    CHECK(logad::test::field(r, "node") == "R01-M0-N2");

    r = parse_auto("2557 node-3 node status 1077804755 1 running");
    CHECK(r.ts_ms == 1077804755000);
    CHECK(r.message == "running");

    r = parse_auto("2017-05-16 00:00:02.100 2931 WARNING nova.compute.manager [-] instance vanished");
    CHECK(r.level == Level::warn);
    CHECK(logad::test::field(r, "component") == "nova.compute.manager");
}

TEST_CASE("a line that only looks like a layout falls through to the generic formats", "[parse]") {
    // Windows CBS shape, but 25:00 is no time: not the layout; the generic prefix takes the date.
    Record r = parse_auto("2016-09-28 25:30:30, Info   CBS    odd");
    CHECK(logad::test::field(r, "component") == "<absent>");
    // An unknown word before the colon is not a uvicorn level.
    r = parse_auto("NOTE:     something");
    CHECK(r.level == Level::unknown);
    CHECK(r.message == "NOTE:     something");
}

TEST_CASE("a CRI line whose message is JSON is unwrapped", "[parse]") {
    const std::string line =
        R"(2024-01-01T10:00:00.5Z stdout F {"level":"error","msg":"db down","time":"2024-01-01T09:59:59Z","retry":3})";
    for (const char* format : {"auto", "cri"}) {
        INFO(format);
        parse::FormatOptions o;
        o.format = format;
        Record r;
        REQUIRE(parse::make_format(o)->parse(line, r).kind == parse::LineResult::record);
        CHECK(r.message == "db down");
        CHECK(r.level == Level::error);
        CHECK(r.ts_ms == 1704103199000);  // the application's time
        CHECK(logad::test::field(r, "stream") == "stdout");
        CHECK(logad::test::field(r, "retry") == "3");
    }
    const Record plain = parse_auto("2024-01-01T10:00:00.5Z stderr F {not json");
    CHECK(plain.message == "{not json");
    CHECK(plain.ts_ms == 1704103200500);
}

TEST_CASE("tz: times without an offset are in the given zone", "[parse][timestamp]") {
    const auto at = [](std::string_view text, std::string_view tz) {
        return parse::parse_timestamp(text, parse::TimeContext::make(2024, tz));
    };
    CHECK(at("2024-07-01 12:00:00", "") == 1719835200000);               // UTC by default
    CHECK(at("2024-07-01 12:00:00", "Europe/Berlin") == 1719828000000);  // summer, +02:00
    CHECK(at("2024-01-01 12:00:00", "Europe/Berlin") == 1704106800000);  // winter, +01:00
    CHECK(at("2024-07-01 12:00:00", "America/New_York") == 1719849600000);
    CHECK(at("2024-07-01 12:00:00", "+02:00") == 1719828000000);
    CHECK(at("2024-07-01 12:00:00", "+0200") == 1719828000000);
    CHECK(at("2024-07-01 12:00:00", "UTC") == 1719835200000);
    CHECK(at("2024-03-31 02:30:00", "Europe/Berlin") == 1711848600000);  // in the spring gap
    CHECK(at("2024-10-27 02:30:00", "Europe/Berlin") == 1729989000000);  // twice in autumn: the first
    CHECK(at("2024-11-03 01:30:00", "America/New_York") == 1730611800000);
    CHECK(at("Jul  1 12:00:00", "Europe/Berlin") == 1719828000000);      // syslog, year from context
    // A text with its own offset, or an epoch number, is not moved.
    CHECK(at("2024-07-01T12:00:00Z", "Europe/Berlin") == 1719835200000);
    CHECK(at("2024-07-01 12:00:00+00:00", "Europe/Berlin") == 1719835200000);
    CHECK(at("1719835200", "Europe/Berlin") == 1719835200000);

    CHECK_THROWS_AS(parse::TimeContext::make(0, "Mars/Olympus_Mons"), UsageError);
    CHECK_THROWS_WITH(parse::TimeContext::make(0, "../../etc/passwd"), Catch::Contains("IANA name"));
    CHECK_THROWS_AS(parse::TimeContext::make(0, "+25:00"), UsageError);

    // A damaged zone file is refused, not half read ($TZDIR points the reader elsewhere).
    const std::string dir = std::filesystem::temp_directory_path() / ("logad-tz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir + "/Bad");
    std::ofstream(dir + "/Bad/Zone") << "TZif2 but nothing else";
    ::setenv("TZDIR", dir.c_str(), 1);
    CHECK_THROWS_WITH(parse::TimeContext::make(0, "Bad/Zone"), Catch::Contains("not a valid TZif file"));
    ::unsetenv("TZDIR");
    std::filesystem::remove_all(dir);
}

TEST_CASE("the generic timestamp prefix finds the level after pid, thread id or a dash", "[parse]") {
    Record r = parse_auto("081109 203615 148 INFO dfs.DataNode: Receiving block blk_1 src: /10.0.0.1:5000");
    CHECK(r.has_time());
    CHECK(r.level == Level::info);
    CHECK(logad::test::field(r, "pid") == "148");
    CHECK(r.message == "dfs.DataNode: Receiving block blk_1 src: /10.0.0.1:5000");

    r = parse_auto("03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs");
    CHECK(r.level == Level::debug);
    CHECK(logad::test::field(r, "tid") == "2395");
    CHECK(r.message == "WindowManager: printFreezingDisplayLogs");

    r = parse_auto("2015-07-29 17:41:44,747 - WARN  [main:Quorum@100] - Cannot open channel to 2");
    CHECK(r.level == Level::warn);
    CHECK(r.message == "[main:Quorum@100] - Cannot open channel to 2");

    r = parse_auto("20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579");
    CHECK(r.ts_ms == 1514067329606);
    CHECK(r.message == "Step_LSC|30002312|onStandStepChanged 3579");
    CHECK(parse_auto("20171223-22:16:0:119|Step_LSC|1|tick").ts_ms == 1514067360119);  // unpadded seconds

    // A number that is not followed by a level stays in the message.
    r = parse_auto("2024-01-01 10:00:00 3 workers started");
    CHECK(r.level == Level::unknown);
    CHECK(r.message == "3 workers started");
    CHECK(r.fields.empty());
}
