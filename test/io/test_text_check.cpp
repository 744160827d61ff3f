// xz and bzip2 input (decoded by magic bytes like gzip and zstd) and the refusal of binary input.
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>

#include <bzlib.h>
#include <catch2/catch.hpp>
#include <lzma.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace {

std::vector<std::string> lines_of(const std::string& data) {
    std::istringstream in(data);
    auto src = logad::io::open_input("-", in);
    logad::io::LineReader reader(*src, 1 << 20);
    std::vector<std::string> lines;
    std::string_view line;
    while (reader.next(line)) lines.emplace_back(line);
    return lines;
}

std::string xz(const std::string& data) {
    std::string out(lzma_stream_buffer_bound(data.size()), '\0');
    std::size_t pos = 0;
    REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(data.data()),
                                    data.size(), reinterpret_cast<std::uint8_t*>(out.data()), &pos,
                                    out.size()) == LZMA_OK);
    out.resize(pos);
    return out;
}

std::string bzip2(const std::string& data) {
    std::string out(data.size() + data.size() / 100 + 700, '\0');
    auto len = static_cast<unsigned>(out.size());
    REQUIRE(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(data.data()),
                                     static_cast<unsigned>(data.size()), 9, 0, 0) == BZ_OK);
    out.resize(len);
    return out;
}

std::string numbered_lines(int n) {
    std::string text;
    for (int i = 0; i < n; ++i) text += "2024-01-01 10:00:00 INFO line " + std::to_string(i) + "\n";
    return text;
}

}  // namespace

TEST_CASE("xz input is decoded by its magic bytes, also concatenated streams", "[io]") {
    const std::string big = numbered_lines(50000);
    CHECK(lines_of(xz(big)) == lines_of(big));
    CHECK(lines_of(xz("one\n") + xz("two\n")) == std::vector<std::string>{"one", "two"});
    const std::string z = xz(big);
    CHECK_THROWS_WITH(lines_of(z.substr(0, z.size() / 2)), Catch::Contains("xz data is truncated"));
    CHECK_THROWS_WITH(lines_of(z.substr(0, z.size() - 4)), Catch::Contains("truncated"));  // footer cut
    CHECK_THROWS_WITH(lines_of(z.substr(0, 6) + std::string(64, 'x')), Catch::Contains("corrupt xz"));
}

TEST_CASE("bzip2 input is decoded by its magic bytes, also concatenated streams", "[io]") {
    const std::string big = numbered_lines(50000);
    CHECK(lines_of(bzip2(big)) == lines_of(big));
    CHECK(lines_of(bzip2("one\n") + bzip2("two\n")) == std::vector<std::string>{"one", "two"});
    const std::string z = bzip2(big);
    CHECK_THROWS_WITH(lines_of(z.substr(0, z.size() / 2)), Catch::Contains("bzip2 data is truncated"));
    CHECK(lines_of("BZh9 is not bzip2\n") == std::vector<std::string>{"BZh9 is not bzip2"});
}

TEST_CASE("binary input is refused on its first block, a few stray bytes are not", "[io]") {
    using logad::io::why_not_text;
    std::string elf("\x7f" "ELF\x02\x01\x01", 7);
    elf.resize(4096, '\0');
    for (std::size_t i = 64; i < elf.size(); i += 3) elf[i] = static_cast<char>(i * 7);
    CHECK_THAT(why_not_text(elf, true), Catch::Contains("NUL bytes at offset 7"));
    CHECK_THROWS_WITH(lines_of(elf), Catch::StartsWith("- looks binary (NUL bytes at offset 7"));

    std::string noise;  // compressed or encrypted data: few NULs, mostly not UTF-8
    std::uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>(((x = x * 1103515245 + 12345) >> 16) | 1));
    CHECK_THAT(why_not_text(noise, true), Catch::Contains("not UTF-8 text"));

    CHECK_THAT(why_not_text("\xFF\xFEh\0i\0", true), Catch::Contains("UTF-16"));

    // A text log with a stray NUL, Latin-1 bytes, UTF-8 and ANSI colours is text.
    std::string log = numbered_lines(40);
    log += std::string("nul\0inside\n", 11);
    log += "caf\xE9 Jos\xE9 \xC3\xA9t\xC3\xA9 \x1b[31mred\x1b[0m\n";
    CHECK(why_not_text(log, true).empty());
    // A UTF-8 sequence cut by the end of a block that is not the whole input is not held against it.
    CHECK(why_not_text(std::string(600, 'a') + "\xE2\x82", false).empty());
    CHECK(why_not_text("", true).empty());
}
