#include <logad/io/table_reader.hpp>

#include "read_double.hpp"

#include <logad/error.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/util/json_depth.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

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

TableReader::TableReader(ByteSource& source) : m_source(source), m_lines(source) {}

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

void TableReader::parse_row(std::string_view line, std::uint64_t line_number, Table& block) {
    // The row goes straight into the block (after an InputError the block holds a partial row).
    std::vector<double>& values = block.values;
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
    if (m_format == TableFormat::csv) {
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
    const std::size_t row_size = values.size() - row_start;
    if (m_cols == 0) set_width(row_size, line_number);
    if (row_size != m_cols)
        fail(line_number, fmt::format("{} values where the {} has {}", row_size,
                                      m_rows == 0 && m_format == TableFormat::csv ? "header" : "table", m_cols));
    block.lines.push_back(line_number);
    ++m_rows;
}

std::size_t TableReader::read(Table& block, std::size_t max_rows) {
    block.values.clear();
    block.lines.clear();
    // Room for the whole block up front: growing it row by row copied it again and again into
    // fresh pages (a sixth of `train`'s time on a 100,000 x 50 CSV). At most 8 MB ahead.
    if (m_cols > 0) block.values.reserve(std::min(max_rows * m_cols, std::size_t(1) << 20));
    std::string_view line;
    while (block.rows() < max_rows && m_lines.next(line)) {
        if (trim(line).empty()) continue;
        line = trim(line);
        if (m_format == TableFormat::unknown) detect(line, m_lines.line_number(), block);
        else parse_row(line, m_lines.line_number(), block);
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
