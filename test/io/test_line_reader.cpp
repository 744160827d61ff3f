#include <logad/error.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/paths.hpp>

#include <catch2/catch.hpp>
#include <zlib.h>
#include <zstd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>
#include <vector>

using logad::io::LineReader;

namespace {

std::vector<std::string> read_all(const std::string& data, std::size_t max_line, std::uint64_t* truncated = nullptr) {
    std::istringstream in(data);
    auto src = logad::io::open_input("-", in);
    LineReader reader(*src, max_line);
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.next(line)) lines.emplace_back(line);
    if (truncated) *truncated = reader.truncated();
    return lines;
}

std::string gzip(const std::string& data) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, data.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string zstd(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
    return out;
}

}  // namespace

TEST_CASE("lines are split on LF, CR stripped, last line without LF kept", "[io]") {
    CHECK(read_all("a\r\nb\n\nc", 1024) == std::vector<std::string>{"a", "b", "", "c"});
    CHECK(read_all("", 1024).empty());
    CHECK(read_all("\n", 1024) == std::vector<std::string>{""});
}

TEST_CASE("overlong lines are truncated and counted, the next line is intact", "[io]") {
    const std::string big(10 << 20, 'x');  // a 10 MiB line
    std::uint64_t truncated = 0;
    const auto lines = read_all("first\n" + big + "\nlast\n", 1 << 20, &truncated);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "first");
    CHECK(lines[1].size() == (1u << 20));
    CHECK(lines[2] == "last");
    CHECK(truncated == 1);
}

TEST_CASE("NUL bytes and binary junk pass through as bytes", "[io]") {
    const std::string junk("a\0b\xFF\xFE\n\x01\x02", 8);
    const auto lines = read_all(junk, 1024);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == std::string("a\0b\xFF\xFE", 5));
}

TEST_CASE("gzip input is decoded by its magic bytes, also concatenated members", "[io]") {
    const std::string text = "one\ntwo\n";
    CHECK(read_all(gzip(text), 1024) == std::vector<std::string>{"one", "two"});
    CHECK(read_all(gzip(text) + gzip("three\n"), 1024) == std::vector<std::string>{"one", "two", "three"});
    const std::string cut = gzip(text).substr(0, 12);
    CHECK_THROWS_AS(read_all(cut, 1024), logad::InputError);
}

TEST_CASE("zstd input is decoded by its magic bytes, also concatenated frames", "[io]") {
    const std::string text = "one\ntwo\n";
    CHECK(read_all(zstd(text), 1024) == std::vector<std::string>{"one", "two"});
    CHECK(read_all(zstd(text) + zstd("three\n"), 1024) == std::vector<std::string>{"one", "two", "three"});
    std::string big;
    for (int i = 0; i < 100000; ++i) big += "line " + std::to_string(i) + "\n";
    const auto lines = read_all(zstd(big), 1024);
    REQUIRE(lines.size() == 100000);
    CHECK(lines.back() == "line 99999");
    const std::string z = zstd(big);
    CHECK_THROWS_WITH(read_all(z.substr(0, z.size() / 2), 1024), Catch::Contains("truncated"));
    CHECK_THROWS_WITH(read_all(z.substr(0, 4) + std::string(64, 'x'), 1024), Catch::Contains("corrupt zstd"));
    CHECK(read_all("ab", 1024) == std::vector<std::string>{"ab"});  // shorter than a magic number
    CHECK(read_all("(\xb5x\n", 1024) == std::vector<std::string>{"(\xb5x"});  // starts like zstd, is not
}

TEST_CASE("a missing file is a clear InputError", "[io]") {
    std::istringstream in;
    CHECK_THROWS_WITH(logad::io::open_input("/no/such/file.log", in), Catch::Contains("/no/such/file.log"));
    CHECK_THROWS_WITH(logad::io::open_input("/tmp", in), Catch::Contains("directory"));
}

TEST_CASE("peeking at the first non-blank line leaves the input whole", "[io]") {
    std::istringstream in("\n  \nfirst line\nsecond\n");
    auto src = logad::io::open_input("-", in);
    CHECK(logad::io::peek_first_line(src) == "first line");
    LineReader reader(*src);
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.next(line)) lines.emplace_back(line);
    CHECK(lines == std::vector<std::string>{"", "  ", "first line", "second"});
    std::istringstream empty("");
    auto e = logad::io::open_input("-", empty);
    CHECK(logad::io::peek_first_line(e).empty());
}

TEST_CASE("a directory stands for its log files, oldest first", "[io]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("logad-io-dir-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    const auto now = fs::file_time_type::clock::now();
    const std::vector<std::pair<std::string, int>> files = {{"app.log", 0}, {"app.log.1", -60}, {"app.log.2.gz", -120}};
    for (const auto& [name, age] : files) {
        std::ofstream(dir / name) << name << "\n";
        fs::last_write_time(dir / name, now + std::chrono::minutes(age));
    }
    std::ofstream(dir / ".hidden") << "x\n";
    const auto got = logad::io::expand_inputs({"-", dir.string(), "plain.log"});
    CHECK(got == std::vector<std::string>{"-", (dir / "app.log.2.gz").string(), (dir / "app.log.1").string(),
                                          (dir / "app.log").string(), "plain.log"});
    // The subfolder is not read, and the caller learns of it to say so.
    CHECK(logad::io::list_inputs({dir.string()}).skipped_dirs == std::vector<std::string>{(dir / "sub").string()});
    fs::remove_all(dir / "sub");
    for (const auto& [name, age] : files) fs::remove(dir / name);
    fs::remove(dir / ".hidden");
    CHECK_THROWS_WITH(logad::io::expand_inputs({dir.string()}), Catch::Contains("holds no log file"));
    fs::remove_all(dir);
}

// next_lines() hands out runs of the lines next() returns one by one: the same lines, cut at
// the same places (over max_line, across refills), each line of a run ending with its '\n'.
TEST_CASE("next_lines returns the lines of next in runs", "[io]") {
    std::mt19937 g(5);
    std::uniform_int_distribution<int> length(0, 9000);
    std::string data;
    for (int i = 0; i < 400; ++i) {
        const int n = length(g) < 8500 ? length(g) % 300 : length(g);  // a few over max_line
        for (int k = 0; k < n; ++k) data += static_cast<char>('a' + k % 26);
        data += i % 7 == 0 ? "\r\n" : "\n";
    }
    data += "last line without newline";
    const std::size_t max_line = 4096;
    const std::vector<std::string> expected = read_all(data, max_line);
    std::istringstream in(data);
    auto src = logad::io::open_input("-", in);
    LineReader reader(*src, max_line);
    std::vector<std::string> lines;
    std::size_t runs = 0;
    std::string_view text;
    while (reader.next_lines(text)) {
        ++runs;
        if (text.empty() || text.back() != '\n') {
            lines.emplace_back(text);  // a line that came alone, as next() returns it
            continue;
        }
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines.emplace_back(line);
            text.remove_prefix(nl + 1);
        }
    }
    CHECK(lines == expected);
    CHECK(runs < lines.size() / 4);
}

// On a file, read_ahead() does the next refill early (as a second thread does while the run is
// parsed): the lines must be those next() returns, cut at the same places.
TEST_CASE("next_lines with read_ahead returns the lines of next", "[io]") {
    namespace fs = std::filesystem;
    std::mt19937 g(9);
    std::uniform_int_distribution<int> length(0, 999);
    std::string data;
    for (int i = 0; i < 3000; ++i) {
        const int pick = length(g);
        const int n = pick < 990 ? pick : 200000 * (pick - 989);  // a few from 200 KB to 2 MB
        data.append(static_cast<std::size_t>(n), static_cast<char>('a' + i % 26));
        data += i % 5 == 0 ? "\r\n" : "\n";
    }
    data += "no newline";
    const fs::path path = fs::temp_directory_path() / ("logad-read-ahead-" + std::to_string(::getpid()) + ".log");
    {
        std::ofstream out(path, std::ios::binary);
        out << data;
    }
    const std::size_t max_line = std::size_t(1) << 20;
    std::vector<std::string> expected;
    {
        std::istringstream unused;
        auto src = logad::io::open_input(path.string(), unused);
        LineReader reader(*src, max_line);
        std::string_view line;
        while (reader.next(line)) expected.emplace_back(line);
    }
    std::istringstream unused;
    auto src = logad::io::open_input(path.string(), unused);
    LineReader reader(*src, max_line);
    std::vector<std::string> lines;
    std::size_t ahead = 0;
    std::string_view text;
    while (reader.next_lines(text)) {
        const bool alone = text.empty() || text.back() != '\n';
        if (alone) CHECK_FALSE(reader.can_read_ahead());
        if (reader.can_read_ahead()) {
            reader.read_ahead();  // before the run's lines are taken: they must stay as they are
            ++ahead;
        }
        if (alone) lines.emplace_back(text);
        while (!alone && !text.empty()) {
            const std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            lines.emplace_back(line);
            text.remove_prefix(nl + 1);
        }
    }
    fs::remove(path);
    CHECK(lines == expected);
    CHECK(ahead > 10);
}
