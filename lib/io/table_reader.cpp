#include <logad/io/table_reader.hpp>

#include "part_workers.hpp"
#include "read_double.hpp"

#include <logad/error.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/parallel.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace logad::io {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

enum class NumberStatus { ok, not_a_number, not_finite };

NumberStatus parse_number(std::string_view text, double& value) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return NumberStatus::not_a_number;
    const auto [ptr, ec] = read_double(text.data(), text.data() + text.size(), value);
    if (ptr != text.data() + text.size()) return NumberStatus::not_a_number;
    if (ec == std::errc::result_out_of_range) return NumberStatus::not_finite;
    if (ec != std::errc()) return NumberStatus::not_a_number;
    return std::isfinite(value) ? NumberStatus::ok : NumberStatus::not_finite;
}

// Splits a CSV header line; double-quoted names may contain commas ("" is a quote).
std::vector<std::string> split_header(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
            else if (c == '"') quoted = false;
            else out.back() += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    for (auto& name : out) name = std::string(trim(name));
    return out;
}

std::string shorten(std::string_view s) {
    return s.size() > 40 ? std::string(s.substr(0, 40)) + "..." : std::string(s);
}

}  // namespace

namespace {
// A buffer of lines (up to LineReader's 1 MiB + 256 KiB) holds about 20 parts of 64 KiB: more
// threads would have nothing to take.
constexpr std::size_t k_max_table_threads = 16;
}  // namespace

TableReader::TableReader(ByteSource& source, int threads, std::size_t part_bytes)
    : m_source(source),
      m_lines(source),
      m_threads(util::resolve_threads(threads, k_max_table_threads)),
      m_part_bytes(std::max<std::size_t>(part_bytes, 1)) {}

TableReader::~TableReader() = default;

void TableReader::fail(std::uint64_t line_number, const std::string& what) const {
    const std::string& name = m_source.name() == "-" ? std::string("<stdin>") : m_source.name();
    throw InputError(fmt::format("{}:{}: {}", name, line_number, what));
}

void TableReader::set_width(std::size_t cols, std::uint64_t line_number) {
    if (cols == 0) fail(line_number, "a row with no values");
    m_cols = cols;
    if (m_names.empty())
        for (std::size_t i = 0; i < cols; ++i) m_names.push_back(fmt::format("c{}", i));
}

void TableReader::detect(std::string_view line, std::uint64_t line_number, Table& block) {
    if (line.front() == '{') {
        m_format = TableFormat::ndjson_objects;
    } else if (line.front() == '[') {
        m_format = TableFormat::ndjson_arrays;
    } else {
        m_format = TableFormat::csv;
        std::vector<std::string> names = split_header(line);
        bool numeric = true;
        double v;
        for (const auto& n : names) numeric = numeric && parse_number(n, v) == NumberStatus::ok;
        if (!numeric) {
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i].empty()) fail(line_number, fmt::format("CSV header column {} has no name", i + 1));
            m_names = std::move(names);
            m_header = true;
            set_width(m_names.size(), line_number);
            return;
        }
    }
    parse_row(line, line_number, block);
}

void TableReader::check_width(std::size_t row_size, std::uint64_t line_number) {
    if (m_cols == 0) set_width(row_size, line_number);
    check_row_width(row_size, line_number);
}

void TableReader::check_row_width(std::size_t row_size, std::uint64_t line_number) const {
    if (row_size != m_cols)
        fail(line_number, fmt::format("{} values where the {} has {}", row_size,
                                      m_rows == 0 && m_format == TableFormat::csv ? "header" : "table", m_cols));
}

void TableReader::parse_csv_row(std::string_view line, std::uint64_t line_number, std::vector<double>& values) const {
    const std::size_t row_start = values.size();
    auto add = [&](std::string_view text, std::size_t column) {
        double v = 0;
        switch (parse_number(text, v)) {
            case NumberStatus::ok: values.push_back(v); return;
            case NumberStatus::not_finite:
                fail(line_number, fmt::format("value {} ('{}') is NaN or infinite; logad needs finite numbers",
                                              column, shorten(trim(text))));
            case NumberStatus::not_a_number:
                fail(line_number, fmt::format("value {} ('{}') is not a number", column, shorten(trim(text))));
        }
    };
    // One pass. A plain number that ends the cell is read where it stands by read_double's
    // fast path (always finite); other cells (blanks around, '+', what the fast path declines)
    // by from_chars; a cell neither takes whole (blank, text, NaN, out of range) goes through
    // `add`, which reads it the careful way and names what is wrong.
    const char* p = line.data();
    const char* const end = p + line.size();
    for (;;) {
        double v = 0;
        const char* const cell = p;
        const char* next = read_double_fast(p, end, v);
        if (next != nullptr && (next == end || *next == ',')) {
            values.push_back(v);
            p = next;
        } else {
            while (p < end && (*p == ' ' || *p == '\t')) ++p;
            if (p < end && *p == '+') ++p;
            const auto [after, ec] = read_double(p, end, v);
            p = after;
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
            if (ec == std::errc() && std::isfinite(v) && (p == end || *p == ',')) {
                values.push_back(v);
            } else {
                p = std::find(cell, end, ',');
                add(std::string_view(cell, static_cast<std::size_t>(p - cell)), values.size() - row_start + 1);
            }
        }
        if (p == end) break;
        ++p;  // the comma
    }
}

void TableReader::parse_row(std::string_view line, std::uint64_t line_number, Table& block) {
    // The row goes straight into the block (after an InputError the block holds a partial row).
    std::vector<double>& values = block.values;
    const std::size_t row_start = values.size();
    if (m_format == TableFormat::csv) {
        parse_csv_row(line, line_number, values);
    } else {
        if (util::json_too_deep(line)) fail(line_number, fmt::format("JSON nested more than {} levels deep", util::k_max_json_depth));
        nlohmann::json doc = nlohmann::json::parse(line, nullptr, false);
        if (doc.is_discarded())
            fail(line_number, m_rows == 0 && !m_header && classify_input(line) == InputKind::logs
                                  ? "not valid JSON, and not a table row: it reads as a log line (a table holds rows "
                                    "like [1, 2.5] or {\"features\": [1, 2.5]})"
                                  : "not valid JSON (one JSON value per line expected)");
        const nlohmann::json* arr = &doc;
        if (m_format == TableFormat::ndjson_objects) {
            if (m_rows == 0 && !m_header && doc.is_object() && !doc.contains("features") && doc.contains("names")) {
                const auto& names = doc["names"];
                if (!names.is_array() || names.empty()) fail(line_number, "header \"names\" must be a non-empty array");
                for (const auto& n : names) {
                    if (!n.is_string()) fail(line_number, "header \"names\" must hold strings");
                    m_names.push_back(n.get<std::string>());
                }
                m_header = true;
                m_header_json = std::string(line);
                m_cols = m_names.size();
                return;
            }
            if (!doc.is_object() || !doc.contains("features"))
                fail(line_number, "expected an object with a \"features\" array, like {\"features\": [1, 2.5]}");
            arr = &doc["features"];
        }
        if (!arr->is_array()) fail(line_number, "expected an array of numbers, like [1, 2.5]");
        for (const auto& v : *arr) {
            if (!v.is_number())
                fail(line_number, fmt::format("value {} ({}) is not a number", values.size() - row_start + 1, shorten(v.dump())));
            values.push_back(v.get<double>());
        }
    }
    check_width(values.size() - row_start, line_number);
    block.lines.push_back(line_number);
    ++m_rows;
}

// A row of exactly the table's width of plain numbers that read_double's fast path takes whole,
// each ended by a comma, the last by the line's end ("\n", "\r\n" or the end of the text): the
// common row, read without finding its end first. Anything else (blanks, a sign, quotes, text,
// a ragged row) returns false with `values` as it was, for the careful reading of the line.
bool TableReader::parse_plain_row(const char*& p, const char* end, std::vector<double>& values) const {
    // The row's room made at once (zeros, overwritten), the values stored through a pointer: a
    // push_back per value reloaded the vector's end around every call to the parser.
    const std::size_t row_start = values.size();
    values.resize(row_start + m_cols);
    double* out = values.data() + row_start;
    const char* q = p;
    for (std::size_t column = 1;; ++column) {
        const char* const after = read_double_fast(q, end, *out++);
        if (after == nullptr) break;
        if (column < m_cols) {
            if (after == end || *after != ',') break;
            q = after + 1;
            continue;
        }
        if (after == end) q = end;
        else if (*after == '\n') q = after + 1;
        else if (*after == '\r' && end - after >= 2 && after[1] == '\n') q = after + 2;
        else break;
        p = q;
        return true;
    }
    values.resize(row_start);
    return false;
}

// One line the careful way: blank lines skipped, the format found on the first.
void TableReader::handle_line(std::string_view line, Table& block) {
    line = trim(line);
    if (line.empty()) return;
    if (m_format == TableFormat::unknown) detect(line, m_line, block);
    else parse_row(line, m_line, block);
}

void TableReader::take_rows(Table& block, std::size_t max_rows) {
    const char* p = m_pending.data();
    const char* const end = p + m_pending.size();
    while (p != end && block.rows() < max_rows) {
        if (m_threads > 1 && m_format == TableFormat::csv && m_rows > 0 && !m_bad_line_next &&
            static_cast<std::size_t>(end - p) >= 2 * m_part_bytes) {
            m_pending = std::string_view(p, static_cast<std::size_t>(end - p));
            take_rows_in_parallel(block, max_rows);
            return;
        }
        ++m_line;
        if (m_format == TableFormat::csv && m_cols > 0 && parse_plain_row(p, end, block.values)) {
            block.lines.push_back(m_line);
            ++m_rows;
            continue;
        }
        const char* const nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* const line_end = nl != nullptr ? nl : end;
        const std::string_view line(p, static_cast<std::size_t>(line_end - p));
        p = nl != nullptr ? nl + 1 : end;
        handle_line(line, block);
        m_bad_line_next = false;
    }
    m_pending = std::string_view(p, static_cast<std::size_t>(end - p));
}

// The rows of one run of whole lines; a bad line stops it, unread (its error is thrown when the
// lines are taken in order, with its line number, which only then is known).
void TableReader::parse_part(Part& part) const {
    const char* p = part.text.data();
    const char* const end = p + part.text.size();
    std::vector<double>& values = part.rows.values;
    while (p != end) {
        const std::uint64_t line_number = part.lines + 1;
        const char* const line_start = p;
        if (!parse_plain_row(p, end, values)) {
            const char* const nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
            const std::string_view line = trim(std::string_view(p, static_cast<std::size_t>((nl != nullptr ? nl : end) - p)));
            p = nl != nullptr ? nl + 1 : end;
            if (line.empty()) {
                part.lines = line_number;
                continue;
            }
            const std::size_t row_start = values.size();
            try {
                parse_csv_row(line, line_number, values);
                check_row_width(values.size() - row_start, line_number);
            } catch (const InputError&) {
                values.resize(row_start);
                part.stop = line_start;
                return;
            }
        }
        part.rows.lines.push_back(line_number);
        part.lines = line_number;
    }
}

// m_pending cut at line ends into runs parsed at once, then taken in order: into the block while
// it has room, the rest kept for the next read(); after a run that stopped at a bad line, the
// reading goes on (one thread) from that line, which throws.
void TableReader::take_rows_in_parallel(Table& block, std::size_t max_rows) {
    const char* const begin = m_pending.data();
    const char* const end = begin + m_pending.size();
    const std::size_t size = m_pending.size();
    // A few parts per thread: a thread the scheduler runs late leaves its parts to the others.
    const std::size_t n = std::max<std::size_t>(1, std::min(size / m_part_bytes, 4 * static_cast<std::size_t>(m_threads)));
    if (m_parts.size() < n) m_parts.resize(n);
    const char* from = begin;
    for (std::size_t i = 0; i < n; ++i) {
        const char* to = end;
        if (i + 1 < n) {
            const char* target = std::max(from, begin + size / n * (i + 1));
            const char* const nl = static_cast<const char*>(std::memchr(target, '\n', static_cast<std::size_t>(end - target)));
            to = nl != nullptr ? nl + 1 : end;
        }
        Part& part = m_parts[i];
        part.text = std::string_view(from, static_cast<std::size_t>(to - from));
        part.rows.values.clear();
        part.rows.lines.clear();
        part.lines = 0;
        part.stop = nullptr;
        from = to;
    }
    if (!m_workers) m_workers = std::make_unique<PartWorkers>(m_threads - 1);
    // The next buffer is read meanwhile, by whichever thread is free first: reading (the kernel
    // copying the file) no longer waits for the parsing, nor the parsing for it.
    const std::size_t ahead = m_lines.can_read_ahead() ? 1 : 0;
    m_workers->run(n + ahead, [&](std::size_t i) {
        if (i < ahead) m_lines.read_ahead();
        else parse_part(m_parts[i - ahead]);
    });
    const char* resume = end;
    for (std::size_t i = 0; i < n; ++i) {
        Part& part = m_parts[i];
        const std::size_t rows = part.rows.rows();
        const std::size_t fit = std::min(rows, max_rows - block.rows());
        const std::size_t cut = fit * m_cols;
        block.values.insert(block.values.end(), part.rows.values.begin(), part.rows.values.begin() + static_cast<std::ptrdiff_t>(cut));
        m_carry.values.insert(m_carry.values.end(), part.rows.values.begin() + static_cast<std::ptrdiff_t>(cut), part.rows.values.end());
        for (std::size_t r = 0; r < rows; ++r) (r < fit ? block.lines : m_carry.lines).push_back(part.rows.lines[r] + m_line);
        m_line += part.lines;
        m_rows += rows;
        if (part.stop != nullptr) {
            resume = part.stop;
            m_bad_line_next = true;  // read by one thread, after the rows before it, to throw
            break;
        }
    }
    m_pending = std::string_view(resume, static_cast<std::size_t>(end - resume));
}

void TableReader::drain_carry(Table& block, std::size_t max_rows) {
    const std::size_t left = m_carry.rows() - m_carry_next;
    if (left == 0) return;
    const std::size_t take = std::min(left, max_rows - block.rows());
    const auto values = m_carry.values.begin() + static_cast<std::ptrdiff_t>(m_carry_next * m_cols);
    block.values.insert(block.values.end(), values, values + static_cast<std::ptrdiff_t>(take * m_cols));
    const auto lines = m_carry.lines.begin() + static_cast<std::ptrdiff_t>(m_carry_next);
    block.lines.insert(block.lines.end(), lines, lines + static_cast<std::ptrdiff_t>(take));
    m_carry_next += take;
    if (m_carry_next == m_carry.rows()) {
        m_carry.values.clear();
        m_carry.lines.clear();
        m_carry_next = 0;
    }
}

std::size_t TableReader::read(Table& block, std::size_t max_rows) {
    block.values.clear();
    block.lines.clear();
    // Room for the whole block up front: growing it row by row copied it again and again into
    // fresh pages (a sixth of `train`'s time on a 100,000 x 50 CSV). At most 8 MB ahead.
    if (m_cols > 0) block.values.reserve(std::min(max_rows * m_cols, std::size_t(1) << 20));
    drain_carry(block, max_rows);
    while (block.rows() < max_rows) {
        if (m_pending.empty()) {
            std::string_view text;
            if (!m_lines.next_lines(text)) break;
            if (text.empty()) {  // a blank line that came alone
                ++m_line;
                continue;
            }
            m_pending = text;
        }
        take_rows(block, max_rows);
    }
    block.names = m_names;
    block.cols = m_cols;
    return block.rows();
}

Table read_table(ByteSource& source) {
    TableReader reader(source);
    Table all, block;
    while (reader.read(block, 65536) > 0) {
        all.values.insert(all.values.end(), block.values.begin(), block.values.end());
        all.lines.insert(all.lines.end(), block.lines.begin(), block.lines.end());
    }
    all.names = reader.names();
    all.cols = reader.cols();
    return all;
}

}  // namespace logad::io
