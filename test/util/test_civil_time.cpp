// logad's one reader and writer of its own times (civil_time.hpp).
#include <logad/util/civil_time.hpp>

#include <catch2/catch.hpp>

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
