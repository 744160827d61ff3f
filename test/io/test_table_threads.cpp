// CSV rows parsed by several threads, each a run of whole lines, must read exactly as one thread
// reads them: the same rows, blocks, line numbers, and the same first error after the same rows.
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

struct Reading {
    std::vector<std::size_t> blocks;  // rows per block
    std::vector<double> values;
    std::vector<std::uint64_t> lines;
    std::vector<std::string> names;
    std::uint64_t rows_read = 0;
    std::string error;
    bool operator==(const Reading&) const = default;
};

// From `text`, or from the file named `path` when one is given (a file is read ahead).
Reading read_with(const std::string& text, int threads, std::size_t part_bytes, std::size_t max_rows,
                  const std::string& path = "") {
    std::istringstream in(text);
    auto src = logad::io::open_input(path.empty() ? "-" : path, in);
    logad::io::TableReader reader(*src, threads, part_bytes);
    Reading r;
    try {
        logad::io::Table block;
        while (reader.read(block, max_rows) > 0) {
            r.blocks.push_back(block.rows());
            r.values.insert(r.values.end(), block.values.begin(), block.values.end());
            r.lines.insert(r.lines.end(), block.lines.begin(), block.lines.end());
        }
    } catch (const logad::InputError& e) {
        r.error = e.what();
    }
    r.names = reader.names();
    r.rows_read = reader.rows_read();
    return r;
}

// Rows of plain and unusual cells (blanks, '+', exponents, CRLF, blank lines), the last line
// with or without its newline.
std::string random_csv(std::mt19937& g, int rows, bool quoted_header, bool crlf, bool final_newline) {
    const char* eol = crlf ? "\r\n" : "\n";
    std::string s = quoted_header ? std::string("\"a,1\",b,\"c \"\"x\"\"\"") + eol : std::string("a,b,c") + eol;
    std::uniform_int_distribution<int> pick(0, 19);
    std::uniform_real_distribution<double> value(-1000, 1000);
    char buf[64];
    for (int r = 0; r < rows; ++r) {
        if (pick(g) == 0) s += eol;  // a blank line
        for (int c = 0; c < 3; ++c) {
            if (c > 0) s += ',';
            const int kind = pick(g);
            const double v = value(g);
            if (kind == 0) std::snprintf(buf, sizeof buf, " %.3f ", v);
            else if (kind == 1) std::snprintf(buf, sizeof buf, "+%g", std::abs(v));
            else if (kind == 2) std::snprintf(buf, sizeof buf, "%.6e", v);
            else if (kind == 3) std::snprintf(buf, sizeof buf, "%d", static_cast<int>(v));
            else std::snprintf(buf, sizeof buf, "%.17g", v);
            s += buf;
        }
        if (r + 1 < rows || final_newline) s += eol;
    }
    return s;
}

void check_same_as_one_thread(const std::string& text) {
    for (const std::size_t max_rows : {std::size_t(1), std::size_t(7), std::size_t(100000)}) {
        const Reading one = read_with(text, 1, logad::io::TableReader::k_default_part_bytes, max_rows);
        for (const std::size_t part_bytes : {std::size_t(1), std::size_t(13), std::size_t(200)}) {
            for (const int threads : {2, 3}) {
                INFO("max_rows " << max_rows << ", part_bytes " << part_bytes << ", threads " << threads);
                CHECK(read_with(text, threads, part_bytes, max_rows) == one);
            }
        }
    }
}

}  // namespace

TEST_CASE("CSV read by threads equals one thread: CRLF, blank lines, quoted header, last line without newline", "[io]") {
    std::mt19937 g(19);
    for (const bool quoted : {false, true})
        for (const bool crlf : {false, true})
            for (const bool final_newline : {false, true}) {
                INFO("quoted " << quoted << ", crlf " << crlf << ", final newline " << final_newline);
                const std::string text = random_csv(g, 150, quoted, crlf, final_newline);
                check_same_as_one_thread(text);
                const Reading r = read_with(text, 3, 1, 1000);
                CHECK(r.error.empty());
                CHECK(r.rows_read == 150);
                if (quoted) CHECK(r.names == std::vector<std::string>{"a,1", "b", "c \"x\""});
            }
}

TEST_CASE("CSV without a header read by threads equals one thread", "[io]") {
    std::mt19937 g(7);
    std::string text = random_csv(g, 100, false, false, true);
    text.erase(0, text.find('\n') + 1);  // the first row is data
    check_same_as_one_thread(text);
    CHECK(read_with(text, 2, 1, 1000).names == std::vector<std::string>{"c0", "c1", "c2"});
}

TEST_CASE("an error in a later thread's lines names its line, after the rows before it", "[io]") {
    std::mt19937 g(3);
    const std::string good = random_csv(g, 200, false, false, true);
    // The 150th row's line: a bad cell, a ragged row, NaN, a huge field; then a second bad line.
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < good.size(); ++i)
        if (good[i] == '\n') starts.push_back(i + 1);
    const std::size_t line = 150;  // 1-based
    for (const std::string& bad : std::vector<std::string>{"1,abc,3", "1,2", "1,2,3,4", "nan,1,2", "1,1e999,2", std::string(300000, '7') + ",x,1",
                                  "1,2," + std::string(1500000, '5')}) {  // the last over 1 MiB: cut
        std::string text = good.substr(0, starts[line - 1]) + bad + "\n" + good.substr(starts[line - 1]);
        text += "1,2\n";
        INFO(bad.substr(0, 20));
        check_same_as_one_thread(text);
        const Reading r = read_with(text, 2, 64, 10);
        CHECK_THAT(r.error, Catch::StartsWith("<stdin>:150: "));
        CHECK(r.lines.size() == r.rows_read);
        CHECK(!r.lines.empty());
        CHECK(r.lines.back() < 150);
    }
}

TEST_CASE("a table of one line, an empty input and a lone header read the same with threads", "[io]") {
    for (const std::string& text : std::vector<std::string>{"", "\n\n", "a,b\n", "a,b", "1,2", "a,b\n\n1,2\r\n", "a,b\n1,2\n3\n"}) {
        INFO(text);
        check_same_as_one_thread(text);
    }
}

// A file is read ahead while a buffer is parsed (the same reads, done earlier): over several
// buffers, with rows longer than the 1 MiB a line may have (cut, at the same place), the rows,
// blocks and error must still be those of one thread.
TEST_CASE("a file read ahead by threads equals one thread across buffers and lines over 1 MiB", "[io]") {
    std::mt19937 g(11);
    std::string text = random_csv(g, 40000, false, false, true);
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') starts.push_back(i + 1);
    // Long rows of three numbers (a long fraction), from under to over max_line, back to front.
    const std::size_t lengths[] = {2000000, 1300000, 1100000, 1048570, 1048000};
    for (std::size_t k = 0; k < 5; ++k) {
        const std::size_t at = starts[30000 - 6000 * k];
        text.insert(at, "1,2,0." + std::string(lengths[k], '3') + "\n");
    }
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("logad-table-threads-" + std::to_string(::getpid()) + ".csv");
    for (const bool bad_end : {false, true}) {
        {
            std::ofstream out(path, std::ios::binary);
            out << text << (bad_end ? "1,x,2\n3,4,5\n" : "");
        }
        for (const std::size_t max_rows : {std::size_t(7), std::size_t(8192)}) {
            const Reading one = read_with("", 1, logad::io::TableReader::k_default_part_bytes, max_rows, path.string());
            CHECK(one.error.empty() != bad_end);
            CHECK(one.rows_read >= 40000);
            for (const std::size_t part_bytes : {std::size_t(1000), logad::io::TableReader::k_default_part_bytes}) {
                INFO("bad end " << bad_end << ", max_rows " << max_rows << ", part_bytes " << part_bytes);
                CHECK(read_with("", 2, part_bytes, max_rows, path.string()) == one);
                CHECK(read_with("", 3, part_bytes, max_rows, path.string()) == one);
            }
        }
    }
    std::filesystem::remove(path);
}
