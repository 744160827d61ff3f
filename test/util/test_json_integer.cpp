#include <logad/util/json_integer.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>

using logad::util::json_integer;

TEST_CASE("json_integer accepts integers that fit and refuses floats, strings and out-of-range values", "[util]") {
    CHECK(json_integer<int>(nlohmann::json(-7)) == -7);
    CHECK(json_integer<std::uint32_t>(nlohmann::json(4294967295u)) == 4294967295u);
    CHECK(json_integer<std::uint64_t>(nlohmann::json::parse("18446744073709551615")) == UINT64_MAX);
    CHECK_THROWS_AS(json_integer<int>(nlohmann::json(1e308)), nlohmann::json::type_error);
    CHECK_THROWS_AS(json_integer<int>(nlohmann::json(2.0)), nlohmann::json::type_error);
    CHECK_THROWS_AS(json_integer<int>(nlohmann::json("3")), nlohmann::json::type_error);
    CHECK_THROWS_AS(json_integer<std::uint32_t>(nlohmann::json(-1)), nlohmann::json::type_error);
    CHECK_THROWS_AS(json_integer<std::uint32_t>(nlohmann::json(4294967296LL)), nlohmann::json::type_error);
    CHECK_THROWS_AS(json_integer<std::int8_t>(nlohmann::json(-129)), nlohmann::json::type_error);
}
