// The loader packs arrays of numbers inside a detector's state (8 bytes a number instead of a
// 16-byte value in a doubling vector); readers see the same numbers and a save writes the same
// text back.
#include <logad/error.hpp>
#include <logad/util/json_integer.hpp>
#include <logad/util/json_packed.hpp>
#include <logad/util/versioned_file.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../support/support.hpp"
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace logad;
using nlohmann::json;

namespace {

constexpr util::FileKind k_packed_kind{"logad-packed-test", 1, 1};

fs::path write_packed_test_file(const std::string& name, const std::string& text) {
    const fs::path path = logad::test::private_temp(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace

TEST_CASE("arrays of numbers in a detector's state are loaded packed, the rest as usual", "[util]") {
    const std::string text =
        R"({"format":"logad-packed-test","version":1,"top":[1,2,3],)"
        R"("parts":[{"model":{"detector":{"algo":"x","state":{"left":[3,-1,-1],"value":[0.5,1e-05,2.0],)"
        R"("mixed":[1,2.5],"rows":[[1.5,2.5],[3.5,4.5]],"names":["a","b"],"odd":[1,"two",3],)"
        R"("huge":[9007199254740993],"empty":[],"n":7,"nested":{"w":[0.25]}}}}}]})";
    const json doc = util::load_versioned(write_packed_test_file("packed-load.json", text), k_packed_kind);
    const json& state = doc["parts"][0]["model"]["detector"]["state"];
    CHECK(doc["top"].is_array());  // outside a detector state: ordinary
    CHECK(util::is_packed(state["left"]));
    CHECK(util::packed_integers(state["left"]));
    CHECK(util::json_integers<int>(state["left"]) == std::vector<int>{3, -1, -1});
    CHECK(util::is_packed(state["value"]));
    CHECK(util::json_doubles(state["value"]) == std::vector<double>{0.5, 1e-05, 2.0});
    CHECK_THROWS_AS(util::json_integers<int>(state["value"]), json::type_error);  // floats are not integers
    CHECK_THROWS_AS(util::json_integers<std::uint8_t>(state["left"]), json::type_error);  // -1 out of range
    CHECK(util::json_doubles(state["mixed"]) == std::vector<double>{1, 2.5});
    CHECK(util::is_packed(state["rows"][1]));
    CHECK(util::json_array_size(state["rows"][1]) == 2);
    CHECK(state["names"] == json({"a", "b"}));
    CHECK(state["odd"] == json({1, "two", 3}));           // not only numbers: ordinary
    CHECK(state["huge"][0] == 9007199254740993ULL);       // beyond 2^53 a double is not exact: ordinary
    CHECK(state["empty"] == json::array());
    CHECK(state["n"] == 7);
    CHECK(util::is_packed(state["nested"]["w"]));

    // Written back, the file is the same text nlohmann writes for the ordinary document; only an
    // array mixing integers and fractions (which logad never writes) has its integers as 1.0.
    const fs::path copy = logad::test::private_temp("packed-save.json");
    util::save_versioned(copy, k_packed_kind, doc);
    std::string expected = json::parse(text).dump() + "\n";
    expected.replace(expected.find("[1,2.5]"), 7, "[1.0,2.5]");
    CHECK(logad::test::read_all(copy) == expected);
}

TEST_CASE("a loaded file is refused for duplicate keys, depth, truncation and size", "[util][reliability]") {
    auto load = [](const std::string& name, const std::string& text) {
        return util::load_versioned(write_packed_test_file(name, text), k_packed_kind);
    };
    CHECK_THROWS_WITH(load("packed-dup.json", R"({"format":"logad-packed-test","version":1,"a":{"k":1,"k":2}})"),
                      Catch::Contains("\"k\" twice"));
    CHECK_THROWS_WITH(load("packed-deep.json", R"({"format":"logad-packed-test","version":1,"a":)" + std::string(300, '[') +
                                                   std::string(300, ']') + "}"),
                      Catch::Contains("levels deep"));
    CHECK_THROWS_WITH(load("packed-cut.json", R"({"format":"logad-packed-test","version":1,"a":[1,2)"),
                      Catch::Contains("not valid JSON"));
    CHECK_THROWS_WITH(load("packed-empty.json", ""), Catch::Contains("not valid JSON"));
    CHECK_THROWS_WITH(util::load_versioned("/dev/null", k_packed_kind), Catch::Contains("not a regular file"));
    // Refused from its size alone, before a byte is read: a sparse file of 1 GiB + 1.
    const fs::path big = logad::test::private_temp("packed-big.json");
    { std::ofstream(big) << "{}"; }
    fs::resize_file(big, util::k_max_saved_file + 1);
    CHECK_THROWS_WITH(util::load_versioned(big, k_packed_kind), Catch::Contains("larger than"));
    fs::remove(big);
}
