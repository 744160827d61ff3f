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
// With threads, CSV rows are parsed in parallel, a run of whole lines per thread; the rows, their
// order and the error (the first bad line's) are those of one thread.
#include <logad/export.hpp>
#include <logad/io/line_reader.hpp>

#include <cstdint>
#include <memory>
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

class PartWorkers;

class LOGAD_API TableReader {
public:
    static constexpr std::size_t k_default_part_bytes = std::size_t(64) << 10;

    // `threads`: for CSV rows, 0 = all cores, as --threads says (at most 16). A thread takes at least
    // `part_bytes` of text (tests make it small, to put the threads' boundaries everywhere).
    explicit TableReader(ByteSource& source, int threads = 1, std::size_t part_bytes = k_default_part_bytes);
    ~TableReader();

    // Replaces `block` with the next rows (at most max_rows). Returns the number read, 0 at end.
    std::size_t read(Table& block, std::size_t max_rows);

    TableFormat format() const noexcept { return m_format; }
    const std::vector<std::string>& names() const noexcept { return m_names; }
    std::size_t cols() const noexcept { return m_cols; }
    std::uint64_t rows_read() const noexcept { return m_rows; }
    bool has_header() const noexcept { return m_header; }  // CSV or NDJSON header row
    const std::string& header_json() const noexcept { return m_header_json; }  // NDJSON header, or empty

private:
    // Rows parsed from one run of lines by a thread, where it stopped (a bad line, left to be read
    // again in order, where its error is thrown with its line number) and how many lines it took.
    struct Part {
        std::string_view text;
        Table rows;  // values and lines (counted from the run's start)
        std::uint64_t lines = 0;
        const char* stop = nullptr;
    };

    void take_rows(Table& block, std::size_t max_rows);
    void take_rows_in_parallel(Table& block, std::size_t max_rows);
    void parse_part(Part& part) const;
    bool parse_plain_row(const char*& p, const char* end, std::vector<double>& values) const;
    void handle_line(std::string_view line, Table& block);
    void detect(std::string_view first_line, std::uint64_t line_number, Table& block);
    void parse_row(std::string_view line, std::uint64_t line_number, Table& block);
    void parse_csv_row(std::string_view line, std::uint64_t line_number, std::vector<double>& values) const;
    void check_width(std::size_t row_size, std::uint64_t line_number);
    void check_row_width(std::size_t row_size, std::uint64_t line_number) const;
    void drain_carry(Table& block, std::size_t max_rows);
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
    int m_threads = 1;            // resolved: at least 1, at most 16
    std::size_t m_part_bytes = k_default_part_bytes;
    std::uint64_t m_line = 0;     // lines taken so far
    std::string_view m_pending;   // lines from m_lines not yet taken
    std::vector<Part> m_parts;    // kept: their buffers are reused
    std::unique_ptr<PartWorkers> m_workers;  // started at the first parallel run
    Table m_carry;                // rows parsed in parallel past the block's end, from m_carry_next
    std::size_t m_carry_next = 0;
    bool m_bad_line_next = false;  // m_pending starts with the line a thread stopped at
};

// Reads the whole table from `source`.
Table read_table(ByteSource& source);

}  // namespace logad::io
