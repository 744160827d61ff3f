// Expected values computed independently with Python's datetime (UTC epoch milliseconds).
#include <logad/parse/timestamp.hpp>
#include <logad/record.hpp>

#include <catch2/catch.hpp>

using namespace logad;
using parse::parse_timestamp;

namespace {

parse::TimeContext year(int y) {
    parse::TimeContext c;
    c.year = y;
    return c;
}

}  // namespace

TEST_CASE("timestamps with a year", "[parse][timestamp]") {
    const auto c = year(1999);  // must not be used: these carry their own year
    struct Case {
        const char* text;
        std::int64_t ms;
    };
    const Case cases[] = {
        {"2016-10-06T00:17:09.669794202Z", 1475713029669},   // RFC 3339, ns fraction (CRI)
        {"2016-10-06 00:17:09,669+02:00", 1475705829669},    // space, comma fraction, offset
        {"2024-02-29T23:59:59-05:30", 1709270999000},        // leap day, negative half-hour offset
        {"2005-06-03-15.42.50.675872", 1117813370675},       // BGL
        {"10/Oct/2000:13:55:36 -0700", 971211336000},         // CLF
        {"081109 203615", 1226262975000},                     // HDFS
        {"Sun Dec 04 04:47:44 2005", 1133671664000},          // Apache error log
        {"17/06/09 20:10:40", 1497039040000},                 // Spark
        {"2015-07-29 17:41:44,747", 1438191704747},           // Zookeeper
        {"20171223-22:15:29:606", 1514067329606},             // HealthApp
        {"2016-09-28 04:30:30", 1475037030000},               // Windows CBS
        {"2005-06-03", 1117756800000},                        // date only: midnight
        {"1117838570", 1117838570000},                        // epoch seconds
        {"1117838570.5", 1117838570500},
        {"1117838570123", 1117838570123},                     // ms
        {"1117838570123456", 1117838570123},                  // µs (journald)
        {"1117838570123456789", 1117838570123},               // ns
        {"  2016-09-28 04:30:30  ", 1475037030000},
    };
    for (const auto& k : cases) {
        INFO(k.text);
        CHECK(parse_timestamp(k.text, c) == k.ms);
    }
}

TEST_CASE("timestamps without a year take the context's year", "[parse][timestamp]") {
    const auto c = year(2020);
    CHECK(parse_timestamp("Oct 11 22:14:15", c) == 1602454455000);        // syslog
    CHECK(parse_timestamp("Jul  1 09:00:55", c) == 1593594055000);        // Linux / Mac, padded day
    CHECK(parse_timestamp("Jul 1 09:00:55", c) == 1593594055000);         // joined header fields
    CHECK(parse_timestamp("03-17 16:13:38.811", c) == 1584461618811);     // Android
    CHECK(parse_timestamp("10.30 16:49:06", c) == 1604076546000);         // Proxifier
}

TEST_CASE("yearless timestamps: current year unless more than a day ahead", "[parse][timestamp]") {
    parse::TimeContext c;
    c.now_ms = 1767261600000;  // 2026-01-01T10:00:00Z
    CHECK(parse_timestamp("Dec 31 23:00:00", c) == 1767222000000);  // 2025-12-31: last year
    CHECK(parse_timestamp("Jan  2 09:00:00", c) == 1767344400000);  // 23 h ahead: still this year
    CHECK(parse_timestamp("Jan  2 11:00:00", c) == 1767344400000 + 2 * 3600000 - 365LL * 86400000);
}

TEST_CASE("things that are not timestamps", "[parse][timestamp]") {
    const auto c = year(2020);
    for (const char* text : {"", "   ", "hello", "12345", "081109", "2016-13-01T00:00:00Z", "2016-10-06T25:00:00Z",
                             "2016-10-06T00:61:00Z", "Oct 11", "Foo 11 22:14:15", "2016-10-06T00:17:09Z trailing",
                             "1117838570.", "\x01\xff\xfe", "10/Oct/2000:13:55:36 +99", "12/34/56 78:90:12"}) {
        INFO(text);
        CHECK(parse_timestamp(text, c) == k_no_time);
    }
    CHECK(parse::parse_epoch("12345678901") == k_no_time);  // 11 digits: no known unit
}

TEST_CASE("the default yearless rule never lands more than a day in the future", "[parse][timestamp]") {
    const auto c = parse::TimeContext::make();
    for (const char* text : {"Jan  1 00:00:00", "Jun 15 12:00:00", "Dec 31 23:59:59"}) {
        INFO(text);
        const std::int64_t ms = parse_timestamp(text, c);
        REQUIRE(ms != k_no_time);
        CHECK(ms <= c.now_ms + 86'400'000);
        CHECK(ms > c.now_ms - 367LL * 86'400'000);
    }
}

// parse_timestamp keeps the last text to re-read only the clock of the next one: every result
// must be the one a fresh parse gives, whatever came before.
TEST_CASE("a text that differs from the last only in its clock reads as a fresh parse would", "[parse][timestamp]") {
    const auto c = year(2020);
    CHECK(parse_timestamp("081109 203615", c) == 1226262975000);
    CHECK(parse_timestamp("081109 203616", c) == 1226262976000);
    CHECK(parse_timestamp("081109 235959", c) == 1226275199000);
    CHECK(parse_timestamp("081109 240000", c) == 1226275200000);  // hour 24: the next midnight
    CHECK(parse_timestamp("081109 206015", c) == k_no_time);      // minute 60
    CHECK(parse_timestamp("081109 2036x5", c) == k_no_time);
    CHECK(parse_timestamp("081110 203615", c) == 1226262975000 + 86400000);  // the date changed

    CHECK(parse_timestamp("2016-10-06 00:17:09,669+02:00", c) == 1475705829669);
    CHECK(parse_timestamp("2016-10-06 00:17:10,123+02:00", c) == 1475705830123);
    CHECK(parse_timestamp("2016-10-06 00:17:10,123+03:00", c) == 1475705830123 - 3600000);

    // the same bytes, another context: the zone and the year it gives count
    auto zoned = parse::TimeContext::make(0, "+02:00");
    CHECK(parse_timestamp("2016-10-06 00:17:11,123+02:00", zoned) == 1475705831123);  // named offset wins
    CHECK(parse_timestamp("2016-09-28 04:30:30", c) == 1475037030000);
    CHECK(parse_timestamp("2016-09-28 04:30:31", zoned) == 1475029831000);
    CHECK(parse_timestamp("2016-09-28 04:30:32", c) == 1475037032000);
    CHECK(parse_timestamp("Oct 11 22:14:15", c) == 1602454455000);
    CHECK(parse_timestamp("Oct 11 22:14:16", year(2021)) == 1633990456000);

    CHECK(parse_timestamp("03-17 16:13:38.811", c) == 1584461618811);
    CHECK(parse_timestamp("03-17 16:13:39.012", c) == 1584461619012);
    CHECK(parse_timestamp("03-17 16:13:39.0x2", c) == k_no_time);
}
