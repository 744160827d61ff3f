// The numeric-table reader behind `logad train/score` on tables: CSV, NDJSON arrays and NDJSON
// feature rows (`logad featurize` output, header object included), gzip-compressed or not, as
// open_input() sees them. Anything unusable must be an InputError; every row read must have the
// table's width and only finite values. Read again by three threads, each taking runs of a few
// bytes of lines, it must give the same blocks, rows, line numbers and error.
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Reading {
    std::vector<std::size_t> blocks;
    std::vector<double> values;  // compared bit for bit: all finite, and -0.0 == 0.0 would hide a sign
    std::vector<std::uint64_t> lines;
    std::string error;
};

Reading read_table(std::string_view text, int threads, std::size_t part_bytes) {
    using namespace logad;
    Reading r;
    std::istringstream in{std::string(text)};
    try {
        auto source = io::open_input("-", in);
        io::TableReader reader(*source, threads, part_bytes);
        io::Table block;
        std::uint64_t rows = 0;
        while (reader.read(block, 7) > 0) {  // small blocks: rows straddle block ends
            LOGAD_FUZZ_CHECK(block.cols == reader.cols() && block.cols > 0);
            LOGAD_FUZZ_CHECK(block.values.size() == block.rows() * block.cols);
            LOGAD_FUZZ_CHECK(reader.names().size() == reader.cols());
            for (double v : block.values) LOGAD_FUZZ_CHECK(std::isfinite(v));
            rows += block.rows();
            r.blocks.push_back(block.rows());
            r.values.insert(r.values.end(), block.values.begin(), block.values.end());
            r.lines.insert(r.lines.end(), block.lines.begin(), block.lines.end());
        }
        LOGAD_FUZZ_CHECK(rows == reader.rows_read());
    } catch (const InputError& e) {
        r.error = e.what();
    }
    return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::signbit(a[i]) != std::signbit(b[i]) || a[i] != b[i]) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    const std::string_view text = fuzz::as_text(data, size);
    const Reading one = read_table(text, 1, io::TableReader::k_default_part_bytes);
    const Reading three = read_table(text, 3, 1 + size % 17);
    LOGAD_FUZZ_CHECK(three.blocks == one.blocks);
    LOGAD_FUZZ_CHECK(same_bits(three.values, one.values));
    LOGAD_FUZZ_CHECK(three.lines == one.lines);
    LOGAD_FUZZ_CHECK(three.error == one.error);
    return 0;
}
