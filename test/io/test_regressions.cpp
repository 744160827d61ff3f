// Inputs that once crashed logad (found by fuzzing or the reliability probes), kept as tests.
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

TEST_CASE("a feature row nested 100000 levels deep is an InputError naming the line", "[io]") {
    // Its error message used to dump() the value, which recursed once per level.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    std::istringstream in("{\"features\":[1,2]}\n{\"features\":[1," + deep + "]}\n");
    auto source = logad::io::open_input("-", in);
    try {
        logad::io::read_table(*source);
        FAIL("read");
    } catch (const logad::InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("<stdin>:2:"));
        CHECK_THAT(e.what(), Catch::Contains("deep"));
    }
}
