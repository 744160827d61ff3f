// The one unit table the masker, the featurizers and duration flags share.
#include <logad/error.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/units.hpp>

#include <catch2/catch.hpp>

TEST_CASE("one unit table: sizes, durations and what is not a quantity", "[util]") {
    using logad::util::parse_quantity;
    using logad::util::UnitKind;
    CHECK(parse_quantity("512M")->value == 512.0 * 1024 * 1024);
    CHECK(parse_quantity("1G")->value == 1024.0 * 1024 * 1024);
    CHECK(parse_quantity("512M")->unit == UnitKind::size);
    CHECK(parse_quantity("5m")->value == 300000);  // minutes: case matters
    CHECK(parse_quantity("5m")->unit == UnitKind::duration);
    CHECK(parse_quantity("1.5 GB")->value == 1.5e9);
    CHECK(parse_quantity("-42")->value == -42);
    CHECK_FALSE(parse_quantity("42")->unit);
    for (const char* not_one : {"2005.09.26", "1.2.3", "12:30", "5 apples", "", "-", "1e5", "3.", "M", "5  ms"})
        CHECK_FALSE(parse_quantity(not_one));
    // --window 5m and a logged `5m` mean the same
    CHECK(logad::util::parse_duration_ms("5m", "--window") == 300000);
    CHECK(logad::util::parse_duration_ms("2hours", "--window") == 7200000);
    CHECK_THROWS_AS(logad::util::parse_duration_ms("5M", "--window"), logad::UsageError);  // a size, not a duration
}
