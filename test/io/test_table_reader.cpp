#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <nlohmann/json.hpp>

using logad::io::Table;
using logad::io::TableFormat;

namespace {

Table read(const std::string& text) {
    std::istringstream in(text);
    auto src = logad::io::open_input("-", in);
    return logad::io::read_table(*src);
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const logad::InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("CSV with a header row", "[io]") {
    const Table t = read("a,\"b,x\", c\n1,2,3\n\n4.5, -6e2 ,+7\r\n");
    CHECK(t.names == std::vector<std::string>{"a", "b,x", "c"});
    CHECK(t.cols == 3);
    REQUIRE(t.rows() == 2);
    CHECK(t.values == std::vector<double>{1, 2, 3, 4.5, -600, 7});
    CHECK(t.lines == std::vector<std::uint64_t>{2, 4});
}

TEST_CASE("CSV whose first row is numbers has no header", "[io]") {
    const Table t = read("1,2\n3,4\n");
    CHECK(t.names == std::vector<std::string>{"c0", "c1"});
    CHECK(t.rows() == 2);
    CHECK(t.values == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("NDJSON objects with features and plain arrays", "[io]") {
    const Table objects = read("{\"session\":\"blk_1\",\"features\":[0,3,1.5]}\n{\"features\":[1e3,0,-2]}\n");
    CHECK(objects.cols == 3);
    CHECK(objects.values == std::vector<double>{0, 3, 1.5, 1000, 0, -2});
    const Table arrays = read("[1, 2]\n[3,4]\n");
    CHECK(arrays.values == std::vector<double>{1, 2, 3, 4});
    CHECK(arrays.names == std::vector<std::string>{"c0", "c1"});
    CHECK(read("").rows() == 0);
}

TEST_CASE("an NDJSON header line names the columns", "[io]") {
    std::istringstream in("{\"feature_space\":{},\"per\":\"window\",\"names\":[\"n\",\"t1\"]}\n"
                          "{\"per\":\"window\",\"features\":[3,1]}\n");
    auto src = logad::io::open_input("-", in);
    logad::io::TableReader reader(*src);
    Table t;
    REQUIRE(reader.read(t, 10) == 1);
    CHECK(reader.has_header());
    CHECK(t.names == std::vector<std::string>{"n", "t1"});
    CHECK(t.values == std::vector<double>{3, 1});
    CHECK(t.lines == std::vector<std::uint64_t>{2});
    CHECK(reader.header_json().find("feature_space") != std::string::npos);
    CHECK_THAT(error_of("{\"names\":[\"a\"]}\n{\"features\":[1,2]}\n"), Catch::Contains("2 values where the table has 1"));
}

TEST_CASE("blocks of rows stream in order", "[io]") {
    std::string text = "x\n";
    for (int i = 0; i < 10; ++i) text += std::to_string(i) + "\n";
    std::istringstream in(text);
    auto src = logad::io::open_input("-", in);
    logad::io::TableReader reader(*src);
    Table block;
    std::vector<double> seen;
    while (reader.read(block, 3) > 0) {
        CHECK(block.rows() <= 3);
        seen.insert(seen.end(), block.values.begin(), block.values.end());
    }
    CHECK(reader.format() == TableFormat::csv);
    CHECK(seen.size() == 10);
    CHECK(seen.back() == 9);
}

TEST_CASE("bad tables are refused naming the line", "[io]") {
    CHECK_THAT(error_of("a,b\n1,2\n3\n"), Catch::Contains("<stdin>:3") && Catch::Contains("1 values where the table has 2"));
    CHECK_THAT(error_of("a,b\n1,2,3\n"), Catch::Contains(":2") && Catch::Contains("header has 2"));
    CHECK_THAT(error_of("a,b\n1,nan\n"), Catch::Contains(":2") && Catch::Contains("NaN or infinite"));
    CHECK_THAT(error_of("a,b\n1,inf\n"), Catch::Contains("NaN or infinite"));
    CHECK_THAT(error_of("a,b\n1,1e999\n"), Catch::Contains("NaN or infinite"));
    CHECK_THAT(error_of("a,b\n1,abc\n"), Catch::Contains("value 2 ('abc') is not a number"));
    CHECK_THAT(error_of("a,b\n1,\n"), Catch::Contains("is not a number"));
    CHECK_THAT(error_of("[1,2]\n[1,\"x\"]\n"), Catch::Contains(":2") && Catch::Contains("not a number"));
    CHECK_THAT(error_of("[1,2]\n[1,2\n"), Catch::Contains(":2") && Catch::Contains("not valid JSON"));
    CHECK_THAT(error_of("{\"features\":[1]}\n{\"x\":[1]}\n"), Catch::Contains("\"features\""));
    CHECK_THAT(error_of("{\"features\":[1,null]}\n"), Catch::Contains("not a number"));
    CHECK_THAT(error_of("[1,2]\n[1,2,3]\n"), Catch::Contains("3 values where the table has 2"));
}

// The one-pass cell reader takes a number where it stands; whatever it does not take whole
// goes the careful way, so the edges read as they always did.
TEST_CASE("CSV cells: blanks, a plus sign and CRLF around a number, nothing else after it", "[io]") {
    const Table t = read("a,b,c\r\n 1.5 ,\t+2,-3e2\r\n0.1,+-4, 5\t\r\n");
    REQUIRE(t.rows() == 2);
    CHECK(t.values == std::vector<double>{1.5, 2, -300, 0.1, -4, 5});
    CHECK_THAT(error_of("a,b\n1 2,3\n"), Catch::Contains("value 1 ('1 2') is not a number"));
    CHECK_THAT(error_of("a,b\n1,+ 2\n"), Catch::Contains("value 2 ('+ 2') is not a number"));
    CHECK_THAT(error_of("a,b\n1,2x\n"), Catch::Contains("value 2 ('2x') is not a number"));
    CHECK_THAT(error_of("a,b,c\n1,,3\n"), Catch::Contains("value 2 ('') is not a number"));
}
