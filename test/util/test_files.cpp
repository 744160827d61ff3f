#include <logad/error.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/civil_time.hpp>
#include <logad/util/versioned_file.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace logad;

namespace {
fs::path temp_dir() {
    fs::path dir = fs::temp_directory_path() / ("logad-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}
constexpr util::FileKind k_kind{"logad-test", 2, 2};
}  // namespace

TEST_CASE("atomic writes replace the whole file and leave no temporary behind", "[util]") {
    const fs::path dir = temp_dir() / "atomic";
    fs::create_directories(dir);
    const fs::path file = dir / "f.txt";
    util::write_file_atomically(file, "first");
    util::write_file_atomically(file, "second");
    CHECK(util::read_file(file) == "second");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    CHECK_THROWS_AS(util::write_file_atomically(dir / "no" / "such" / "dir", "x"), OutputError);
    CHECK_THROWS_AS(util::read_file(dir / "missing"), InputError);
}

TEST_CASE("versioned files refuse other kinds, newer and older versions, and damage", "[util]") {
    const fs::path dir = temp_dir();
    const fs::path file = dir / "v.json";
    util::save_versioned(file, k_kind, {{"payload", 1}});
    CHECK(util::load_versioned(file, k_kind)["payload"] == 1);

    auto write = [&](const std::string& text) { std::ofstream(file) << text; };
    write(R"({"format":"logad-test","version":3})");
    CHECK_THROWS_WITH(util::load_versioned(file, k_kind), Catch::Contains("newer") && Catch::Contains("upgrade"));
    write(R"({"format":"logad-test","version":1})");
    CHECK_THROWS_WITH(util::load_versioned(file, k_kind), Catch::Contains("too old"));
    write(R"({"format":"something-else","version":2})");
    CHECK_THROWS_WITH(util::load_versioned(file, k_kind), Catch::Contains("something-else"));
    write(R"({"format":"logad-test","vers)");
    CHECK_THROWS_AS(util::load_versioned(file, k_kind), FormatError);
}

TEST_CASE("RFC 3339 timestamps with milliseconds", "[util]") {
    auto fmt = [](std::int64_t ms) {
        std::string s;
        util::append_rfc3339_ms(s, ms);
        return s;
    };
    CHECK(fmt(0) == "1970-01-01T00:00:00.000Z");
    CHECK(fmt(1226262975000) == "2008-11-09T20:36:15.000Z");
    CHECK(fmt(951782400123) == "2000-02-29T00:00:00.123Z");  // leap day
    CHECK(fmt(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(util::days_from_civil(2000, 3, 1) == 11017);
}

#include <logad/util/duration.hpp>

TEST_CASE("durations", "[util]") {
    CHECK(util::parse_duration_ms("60s", "--window") == 60000);
    CHECK(util::parse_duration_ms("250ms", "--window") == 250);
    CHECK(util::parse_duration_ms("1.5m", "--window") == 90000);
    CHECK(util::parse_duration_ms("2h", "--window") == 7200000);
    CHECK(util::parse_duration_ms("10", "--window") == 10000);
    CHECK_THROWS_WITH(util::parse_duration_ms("soon", "--idle"), Catch::Contains("--idle"));
    CHECK_THROWS_AS(util::parse_duration_ms("-5s", "--idle"), UsageError);
    CHECK_THROWS_AS(util::parse_duration_ms("5 parsecs", "--idle"), UsageError);
    // A zero or negative length is a duration, just not a usable one: say that, not "not a duration".
    CHECK_THROWS_WITH(util::parse_duration_ms("0s", "--window"), "--window '0s' must be above zero; write e.g. 500ms, 30s, 5m, 2h");
    CHECK_THROWS_WITH(util::parse_duration_ms("-5s", "--idle"), Catch::Contains("must be above zero"));
    CHECK_THROWS_WITH(util::parse_duration_ms("0.2ms", "--window"), Catch::Contains("below 1ms"));
    CHECK_THROWS_WITH(util::parse_duration_ms("nan", "--window"), Catch::Contains("is not a duration"));
}
