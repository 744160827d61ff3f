#pragma once
// Reads a plain numeric table, so logad's detectors work on any matrix, not only on logs.
// The format is detected from the first non-empty line:
//   - `{...}`  NDJSON objects with a numeric array under "features" (other keys are ignored,
//              so logad's own feature records qualify): {"features": [0, 3, 1.5]}. A first
//              object without "features" but with a "names" array is a header (as written by
//              `logad featurize`): it names the columns and is kept whole in header_json().
//   - `[...]`  NDJSON plain arrays: [0, 3, 1.5]
//   - otherwise CSV, comma-separated, with a header row of column names. A first row made only
//              of numbers is taken as data (columns named c0, c1, ...).
// Blank lines are skipped. Every row must have the header's (or the first row's) width. A value
// that is not a finite number stops the read with an InputError naming the file and line: a
// matrix with holes cannot be scored, and silently dropping rows would shift row numbers.
#include <logad/export.hpp>
#include <logad/io/line_reader.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace logad::io {

struct Table {
    std::vector<std::string> names;    // column names (generated when the input has none)
    std::size_t cols = 0;
    std::vector<double> values;        // row-major, rows() * cols
    std::vector<std::uint64_t> lines;  // input line number of each row
    std::size_t rows() const noexcept { return lines.size(); }
};

enum class TableFormat { unknown, csv, ndjson_objects, ndjson_arrays };

class LOGAD_API TableReader {
public:
    explicit TableReader(ByteSource& source);

    // Replaces `block` with the next rows (at most max_rows). Returns the number read, 0 at end.
    std::size_t read(Table& block, std::size_t max_rows);

    TableFormat format() const noexcept { return m_format; }
    const std::vector<std::string>& names() const noexcept { return m_names; }
    std::size_t cols() const noexcept { return m_cols; }
    std::uint64_t rows_read() const noexcept { return m_rows; }
    bool has_header() const noexcept { return m_header; }  // CSV or NDJSON header row
    const std::string& header_json() const noexcept { return m_header_json; }  // NDJSON header, or empty

private:
    void detect(std::string_view first_line, std::uint64_t line_number, Table& block);
    void parse_row(std::string_view line, std::uint64_t line_number, Table& block);
    [[noreturn]] void fail(std::uint64_t line_number, const std::string& what) const;
    void set_width(std::size_t cols, std::uint64_t line_number);

    ByteSource& m_source;
    LineReader m_lines;
    TableFormat m_format = TableFormat::unknown;
    std::vector<std::string> m_names;
    std::size_t m_cols = 0;
    bool m_header = false;
    std::string m_header_json;
    std::uint64_t m_rows = 0;
};

// Reads the whole table from `source`.
Table read_table(ByteSource& source);

}  // namespace logad::io
