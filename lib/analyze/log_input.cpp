#include <logad/analyze/log_input.hpp>

#include <logad/error.hpp>
#include <logad/io/json_records.hpp>
#include <logad/io/line_reader.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <sys/stat.h>

namespace logad::analyze {
namespace {

constexpr std::size_t k_probe_lines = 1000;  // a file's first timestamp is looked for this far

// The first time a record of `path` carries, or k_no_time (none in its first lines, or unreadable:
// opening it for real says why).
std::int64_t first_time_of(const std::string& path, const parse::FormatOptions& format, std::istream& in) {
    try {
        const auto source = open_log_input(path, in, format);
        const auto parser = parse::make_format(format);
        io::LineReader reader(*source);
        std::string_view line;
        Record record;
        while (reader.line_number() < k_probe_lines && reader.next(line)) {
            record.clear();
            if (parser->parse(line, record).kind == parse::LineResult::record && record.has_time()) return record.ts_ms;
        }
    } catch (const Error&) {
    }
    return k_no_time;
}

bool is_regular_path(const std::string& path) {
    struct stat st {};
    return path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::unique_ptr<io::ByteSource> split_log_documents(std::unique_ptr<io::ByteSource> source, const parse::FormatOptions& format) {
    const bool json_ok = format.regex.empty() && (format.format.empty() || format.format == "auto" || format.format == "json");
    return json_ok ? io::split_json_records(std::move(source)) : std::move(source);
}

std::unique_ptr<io::ByteSource> open_log_input(const std::string& file, std::istream& in, const parse::FormatOptions& format) {
    return split_log_documents(io::open_input(file, in), format);
}

io::InputClaim input_claim(const parse::FormatOptions& format) {
    return format.format != "auto" || !format.regex.empty() ? io::InputClaim::logs : io::InputClaim::guess;
}

std::string format_text(const parse::FormatOptions& f) { return f.regex.empty() ? f.format : "regex " + f.regex; }

bool order_by_first_time(std::vector<std::string>& files, const parse::FormatOptions& format, std::istream& in) {
    if (files.size() < 2 || !std::all_of(files.begin(), files.end(), is_regular_path)) return false;
    std::vector<std::pair<std::int64_t, std::string>> timed;
    for (const std::string& f : files) {
        const std::int64_t t = first_time_of(f, format, in);
        if (t == k_no_time) return false;
        timed.emplace_back(t, f);
    }
    std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    bool changed = false;
    for (std::size_t i = 0; i < files.size(); ++i) {
        changed = changed || files[i] != timed[i].second;
        files[i] = std::move(timed[i].second);
    }
    return changed;
}

std::string file_order_note(const std::vector<std::string>& files) {
    std::string names;
    constexpr std::size_t k_named = 6;
    for (std::size_t i = 0; i < files.size() && i < k_named; ++i) names += (i ? ", " : "") + files[i];
    if (files.size() > k_named) names += ", ...";
    return fmt::format("read the {} files in the order of their first timestamps: {}", files.size(), names);
}

}  // namespace logad::analyze
