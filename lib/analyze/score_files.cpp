#include <logad/analyze/score_files.hpp>

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <fmt/core.h>

namespace logad::analyze {
namespace {

bool blank_score_line(std::string_view s) { return s.find_first_not_of(" \t\r\"") == std::string_view::npos; }

pipeline::EvalLabels read_labels(const std::string& path, std::istream& in) {
    auto source = io::open_input(path, in);
    io::LineReader reader(*source);
    pipeline::LabelReader labels(path);
    std::string_view line;
    while (reader.next(line)) labels.add_line(line, reader.line_number());
    return labels.finish();
}

std::string score_line_at(const std::string& file, std::uint64_t line) { return fmt::format("{}:{}", file == "-" ? "stdin" : file, line); }

// Reads NDJSON lines with `add`; counts lines `add` refuses.
template <class Add>
std::uint64_t read_report_lines(const std::string& file, std::istream& in, Add add) {
    auto source = io::open_input(file, in);
    io::LineReader reader(*source, std::size_t(1) << 24);
    std::string_view line;
    std::uint64_t refused = 0;
    while (reader.next(line))
        if (line.find_first_not_of(" \t") != std::string_view::npos && !add(line)) ++refused;
    return refused;
}

}  // namespace

pipeline::EvalResult evaluate_files(const EvalRequest& r, std::istream& in) {
    pipeline::Evaluation eval(read_labels(r.labels, in), r.per, r.detector);
    const std::vector<std::string> files = r.files.empty() ? std::vector<std::string>{"-"} : r.files;
    for (const std::string& file : files) {
        auto source = io::open_input(file, in);
        io::LineReader reader(*source);
        std::string_view text;
        while (reader.next(text)) {
            if (blank_score_line(text)) continue;
            const std::string at = score_line_at(file, reader.line_number());
            eval.add(pipeline::read_score_line(text, at), at);
        }
    }
    return eval.finish();
}

ReportInput read_report_input(const std::vector<std::string>& files, const std::vector<std::string>& events, std::istream& in) {
    ReportInput r;
    pipeline::ReportData& data = r.data;
    for (const auto& f : files) r.skipped += read_report_lines(f, in, [&](std::string_view l) { return data.add_record(l); });
    for (const auto& f : events) r.skipped += read_report_lines(f, in, [&](std::string_view l) { return data.add_event(l); });
    if (data.records == 0 && data.events == 0 && data.incidents + data.opened == 0)
        throw InputError("no score or incident records in the input; give the output of `logad score` (with --records for "
                         "the anomaly records, --all for the full timeline)");
    return r;
}

}  // namespace logad::analyze
