// The header-format-string compiler (--format '<Date> <Time> <Level> <Component>: <Content>'):
// the first line is the format string, the following lines are parsed with it. A bad format
// string must be a UsageError, never a crash; a compiled one must take any line.
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/parse/line_format.hpp>

#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    const auto lines = fuzz::split_lines(fuzz::as_text(data, size));
    if (lines.empty()) return 0;
    parse::FormatOptions options;
    options.format = std::string(lines[0]);
    options.year = 2026;
    std::unique_ptr<parse::LineFormat> format;
    try {
        format = parse::make_format(options);
    } catch (const UsageError& e) {
        LOGAD_FUZZ_CHECK(e.what()[0] != '\0');
        return 0;
    }
    LOGAD_FUZZ_CHECK(format != nullptr);
    Record record;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        record.clear();
        const parse::LineResult result = format->parse(lines[i], record);
        LOGAD_FUZZ_CHECK(result.kind != parse::LineResult::no_match || !result.reason.empty());
    }
    return 0;
}
