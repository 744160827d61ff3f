#include <logad/analyze/verdict_targets.hpp>

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>

#include <fmt/core.h>

#include <filesystem>

namespace logad::analyze {

void resolve_target(pipeline::VerdictResolver& resolver, const std::string& target, std::istream& in) {
    // In the order above: a template id or a record before a file of that name.
    const bool id_or_record = !target.empty() && (target.front() == '{' || target.find_first_not_of("0123456789") == std::string::npos);
    std::error_code ec;  // a log line is no file name (and may be too long for one)
    if (target != "-" && (id_or_record || !std::filesystem::is_regular_file(target, ec))) return resolver.resolve(target);
    auto source = io::open_input(target, in);
    io::LineReader reader(*source);
    std::string_view line;
    const std::size_t before = resolver.verdicts.size();
    while (reader.next(line))
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) resolver.resolve(line);
    if (resolver.verdicts.size() == before)
        throw InputError(fmt::format("{} names nothing to give a verdict on", target == "-" ? "stdin" : target));
}

}  // namespace logad::analyze
