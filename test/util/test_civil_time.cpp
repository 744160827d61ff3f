// logad's one reader and writer of its own times (civil_time.hpp).
#include <logad/util/civil_time.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using logad::util::parse_rfc3339_ms;

namespace {

std::int64_t parsed(std::string_view text) {
    std::int64_t ms = -1;
    REQUIRE(parse_rfc3339_ms(text, ms));
    return ms;
}

}  // namespace

TEST_CASE("RFC 3339 times read back what logad writes, and the forms people type", "[util]") {
    const std::int64_t midnight = 1764547200000;  // 2025-12-01T00:00:00Z
    const std::int64_t t = midnight + 8 * 3600000 + 250;
    CHECK(logad::util::rfc3339_ms(t) == "2025-12-01T08:00:00.250Z");
    CHECK(parsed(logad::util::rfc3339_ms(t)) == t);
    CHECK(parsed("2025-12-01") == midnight);
    CHECK(parsed("2025-12-01T08:00") == t - 250);
    CHECK(parsed("2025-12-01 08:00:00,250") == t);
    CHECK(parsed("2025-12-01t08:00:00.250999z") == t);  // past the millisecond: cut
    CHECK(parsed("2025-12-01T09:00:00.250+01:00") == t);
    CHECK(parsed("2025-12-01T07:30:00.250-0030") == t);
    CHECK(parsed("1969-12-31T23:59:59Z") == -1000);
}

TEST_CASE("anything else is not a time: no partial reads, no trailing text", "[util]") {
    std::int64_t ms = 0;
    for (const char* bad : {"", "2025", "2025-13-01", "2025-12-00", "2025-12-01T24:00", "2025-12-01T08:60",
                            "2025-12-01T08", "2025-12-01T08:00:00Zjunk", "2025-12-01T08:00:00+1", "2025/12/01",
                            "2025-12-01T08:00:00.250 ", "soon"}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339_ms(bad, ms));
    }
}

TEST_CASE("the streaming RFC 3339 writer writes what write_rfc3339_ms writes across days and years", "[util]") {
    logad::util::Rfc3339Writer writer;
    const auto one = [](std::int64_t ms) {
        char buf[24];
        return std::string(buf, logad::util::write_rfc3339_ms(buf, ms));
    };
    const auto streamed = [&](std::int64_t ms) {
        char buf[24];
        return std::string(buf, writer.write(buf, ms));
    };
    const std::int64_t day = 86400000;
    CHECK(one(1764547200000 + 8 * 3600000 + 250) == "2025-12-01T08:00:00.250Z");
    CHECK(one(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(one(-62167219200001) == "0000-01-01T00:00:00.000Z");  // before year 0: clamped
    CHECK(one(253402300800000) == "9999-12-31T23:59:59.999Z");  // after year 9999: clamped
    std::vector<std::int64_t> times;
    for (std::int64_t t = -3 * day - 7; t < 3 * day; t += day / 7 + 13) times.push_back(t);
    for (std::int64_t t : {std::int64_t(1226263815000), std::int64_t(1226263815999), std::int64_t(1226275199999),
                           std::int64_t(1226275200000), std::int64_t(1226263815000), std::int64_t(951782400000),
                           std::int64_t(951868799999), std::int64_t(-62167219200001), std::int64_t(-62167219200000),
                           std::int64_t(253402300799999), std::int64_t(253402300800000), std::int64_t(1226263815000)})
        times.push_back(t);
    for (std::int64_t t : times) {
        INFO(t);
        CHECK(streamed(t) == one(t));
    }
}
