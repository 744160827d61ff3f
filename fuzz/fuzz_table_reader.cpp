// The numeric-table reader behind `logad train/score` on tables: CSV, NDJSON arrays and NDJSON
// feature rows (`logad featurize` output, header object included), gzip-compressed or not, as
// open_input() sees them. Anything unusable must be an InputError; every row read must have the
// table's width and only finite values.
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>

#include <cmath>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    std::istringstream in(std::string(fuzz::as_text(data, size)));
    try {
        auto source = io::open_input("-", in);
        io::TableReader reader(*source);
        io::Table block;
        std::uint64_t rows = 0;
        while (reader.read(block, 7) > 0) {  // small blocks: rows straddle block ends
            LOGAD_FUZZ_CHECK(block.cols == reader.cols() && block.cols > 0);
            LOGAD_FUZZ_CHECK(block.values.size() == block.rows() * block.cols);
            LOGAD_FUZZ_CHECK(reader.names().size() == reader.cols());
            for (double v : block.values) LOGAD_FUZZ_CHECK(std::isfinite(v));
            rows += block.rows();
        }
        LOGAD_FUZZ_CHECK(rows == reader.rows_read());
    } catch (const InputError&) {
    }
    return 0;
}
