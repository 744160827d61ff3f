#include "golden_compare.hpp"

#include <catch2/catch.hpp>

using logad::test::golden_difference;

TEST_CASE("golden comparison: fractional numbers within the tolerance, all else exact", "[cli][golden]") {
    const std::string expected = R"({"score":1291.7608006795247,"threshold":1.9091432728370028,"line":12,"anomaly":true})";
    SECTION("last digits of fractional numbers may differ") {
        CHECK_FALSE(golden_difference(expected, R"({"score":1291.7607599894206,"threshold":1.909143194158872,"line":12,"anomaly":true})"));
    }
    SECTION("a fractional number beyond the tolerance differs") {
        const auto d = golden_difference(expected, R"({"score":1291.9,"threshold":1.9091432728370028,"line":12,"anomaly":true})");
        REQUIRE(d);
        CHECK_THAT(*d, Catch::Contains("1291.7608006795247 vs 1291.9"));
    }
    SECTION("integers are exact") {
        CHECK(golden_difference(expected, R"({"score":1291.7608006795247,"threshold":1.9091432728370028,"line":13,"anomaly":true})"));
    }
    SECTION("text, keys and structure are exact") {
        CHECK(golden_difference(expected, R"({"score":1291.7608006795247,"threshold":1.9091432728370028,"line":12,"anomaly":false})"));
        CHECK(golden_difference(expected, R"({"scores":1291.7608006795247,"threshold":1.9091432728370028,"line":12,"anomaly":true})"));
        CHECK(golden_difference(expected, expected + "\n"));
        CHECK(golden_difference(expected + "\n", expected));
    }
    SECTION("an integer printed as a fraction compares as a number") {
        CHECK_FALSE(golden_difference("threshold 2\n", "threshold 2.000000000001\n"));
        CHECK(golden_difference("threshold 2\n", "threshold 2.5\n"));
    }
    SECTION("digits inside words are text") {
        CHECK(golden_difference("template t1.5 v2.0\n", "template t1.6 v2.0\n"));
        CHECK(golden_difference("version v2.0\n", "version v2.00001\n"));
    }
    SECTION("values at zero compare absolutely") {
        CHECK_FALSE(golden_difference("x 1e-17\n", "x -3e-17\n"));
    }
}
