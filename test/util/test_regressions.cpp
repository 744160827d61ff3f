// Inputs that once crashed logad (found by fuzzing or the reliability probes), kept as tests.
#include <logad/error.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/versioned_file.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace logad;

namespace {

std::string nested(int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("json_too_deep counts open arrays and objects, not brackets in strings", "[util]") {
    CHECK_FALSE(util::json_too_deep(R"({"a":[1,{"b":[]}]})", 4));  // four levels
    CHECK(util::json_too_deep(R"({"a":[1,{"b":[]}]})", 3));
    CHECK_FALSE(util::json_too_deep(nested(256)));
    CHECK(util::json_too_deep(nested(257)));
    CHECK_FALSE(util::json_too_deep(R"({"s":"[[[[\"[[[["})", 1));  // escaped quote stays in the string
    CHECK_FALSE(util::json_too_deep("]]]]}}}}[", 1));                // stray closers do not go negative
    CHECK_FALSE(util::json_too_deep(""));
}

TEST_CASE("a saved file nested 100000 levels deep is refused as damaged, not a stack overflow", "[util]") {
    const auto path = std::filesystem::temp_directory_path() / ("logad-test-deep-model-" + std::to_string(::getpid()) + ".json");
    {
        std::ofstream out(path);
        out << R"({"format":"logad-model","version":1,"x":)" << nested(100000) << "}\n";
    }
    try {
        util::load_versioned(path, {"logad-model", 1, 1});
        FAIL("loaded");
    } catch (const FormatError& e) {
        CHECK_THAT(e.what(), Catch::Contains("levels deep"));
        CHECK_THAT(e.what(), Catch::Contains(path.string()));
    }
    std::filesystem::remove(path);
}
