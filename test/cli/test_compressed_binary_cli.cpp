// What logad reads: xz and bzip2 like gzip and zstd (files and stdin), and binary input refused
// with exit 2 before anything learns from it.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using logad::test::run_logad;
using logad::test::temp_path;
using logad::test::write_temp;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Compresses `path` with a Debian tool (xz, bzip2) into path + suffix, keeping the original.
std::string compress(const std::string& tool, const std::string& path, const std::string& suffix) {
    const std::string out = path + suffix;
    REQUIRE(std::system((tool + " -c " + path + " > " + out).c_str()) == 0);
    return out;
}

}  // namespace

TEST_CASE("xz and bzip2 files and stdin read identically to the plain file", "[cli]") {
    const std::string plain = write_temp("compressed-plain.log", logad::test::example_log(0, 400));
    const auto expected = run_logad({"parse", "-q", plain});
    REQUIRE(expected.status == 0);
    REQUIRE(!expected.out.empty());
    for (const auto& [tool, suffix] : {std::pair{"xz", ".xz"}, std::pair{"bzip2", ".bz2"}}) {
        INFO(tool);
        const std::string packed = compress(tool, plain, suffix);
        const auto from_file = run_logad({"parse", "-q", packed});
        CHECK(from_file.status == 0);
        CHECK(from_file.out == expected.out);
        const auto from_stdin = run_logad({"parse", "-q"}, slurp(packed));
        CHECK(from_stdin.status == 0);
        CHECK(from_stdin.out == expected.out);
    }
}

TEST_CASE("a truncated xz file is a clear error, exit 2", "[cli]") {
    const std::string plain = write_temp("cut.log", logad::test::example_log(0, 400));
    const std::string packed = slurp(compress("xz", plain, ".xz"));
    const std::string cut = write_temp("cut.log.xz", packed.substr(0, packed.size() / 2));
    const auto r = run_logad({"parse", "-q", cut});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::StartsWith("logad parse: error: " + cut + ": xz data is truncated"));
}

TEST_CASE("an executable is refused as binary by train, score and parse, and writes no model", "[cli]") {
    const std::string exe = LOGAD_BINARY;
    const std::string model = temp_path("binary-model.json");
    std::filesystem::remove(model);
    const auto train = run_logad({"train", "-o", model, exe});
    CHECK(train.status == 2);
    CHECK_THAT(train.err, Catch::StartsWith("logad train: error: " + exe + " looks binary (NUL bytes at offset "));
    CHECK_THAT(train.err, Catch::Contains("logad reads text logs"));
    CHECK_FALSE(std::filesystem::exists(model));

    const auto parse = run_logad({"parse", "-q"}, slurp(exe));
    CHECK(parse.status == 2);
    CHECK_THAT(parse.err, Catch::StartsWith("logad parse: error: - looks binary"));

    const std::string good = write_temp("binary-good.log", logad::test::example_log(0, 2000));
    REQUIRE(run_logad({"train", "-q", "-o", model, good}).status == 0);
    const auto score = run_logad({"score", "-m", model, exe});
    CHECK(score.status == 2);
    CHECK_THAT(score.err, Catch::StartsWith("logad score: error: " + exe + " looks binary"));
}

TEST_CASE("UTF-16 with a byte order mark is refused with a way out", "[cli]") {
    std::string utf16 = "\xFF\xFE";
    for (char c : std::string("2024-01-01 10:00:00 INFO hello\n")) utf16 += std::string{c, '\0'};
    const auto r = run_logad({"parse", "-q"}, utf16);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("UTF-16") && Catch::Contains("iconv"));
}

TEST_CASE("times without an offset are placed in the --tz zone without an offset in that zone, and the model keeps it", "[cli]") {
    const std::string line = "2024-07-01 12:00:00 INFO hello\n";
    const auto utc = run_logad({"parse", "-q"}, line);
    CHECK_THAT(utc.out, Catch::Contains(R"("ts":"2024-07-01T12:00:00.000Z")"));
    const auto berlin = run_logad({"parse", "-q", "--tz", "Europe/Berlin"}, line);
    CHECK_THAT(berlin.out, Catch::Contains(R"("ts":"2024-07-01T10:00:00.000Z")"));
    const auto fixed = run_logad({"parse", "-q", "--tz", "-05:00"}, line);
    CHECK_THAT(fixed.out, Catch::Contains(R"("ts":"2024-07-01T17:00:00.000Z")"));
    const auto bad = run_logad({"parse", "-q", "--tz", "Nowhere/Land"}, line);
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::StartsWith("logad parse: error: --tz Nowhere/Land: "));

    const std::string log = write_temp("tz.log", logad::test::example_log(0, 1000));
    const std::string model = temp_path("tz-model.json");
    REQUIRE(run_logad({"train", "-q", "--tz", "Asia/Tokyo", "-o", model, log}).status == 0);
    CHECK_THAT(slurp(model), Catch::Contains(R"("tz":"Asia/Tokyo")"));
}
