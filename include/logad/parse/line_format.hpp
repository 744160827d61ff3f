#pragma once
// A LineFormat turns one physical line into a Record. On this per-line hot path results are
// values, never exceptions: a record, a no-match with a reason, or "incomplete" (the line opens
// a record that needs the following lines, e.g. pretty-printed JSON).
#include <logad/record.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logad::parse {

struct LineResult {
    enum Kind : std::uint8_t { record, no_match, incomplete };
    Kind kind = record;
    std::string_view reason;  // static text, for no_match

    static LineResult ok() { return {record, {}}; }
    static LineResult fail(std::string_view why) { return {no_match, why}; }
};

class LineFormat {
public:
    virtual ~LineFormat() = default;
    virtual std::string_view name() const = 0;
    // Parses `line` (no terminator) into `out`, which the caller has cleared. May leave `out`
    // partly filled on no_match; the caller clears it again.
    virtual LineResult parse(std::string_view line, Record& out) const = 0;
};

struct FormatOptions {
    // "auto", "json", "logfmt", "syslog", "clf", "cri", "raw", or a header format string in the
    // Loghub style ("<Date> <Time> <Level> <Component>: <Content>").
    std::string format = "auto";
    // RE2 pattern with named groups (?P<message>...), (?P<ts>...), (?P<level>...); overrides format.
    std::string regex;
    // Year for timestamps that carry none (syslog, Android...); 0 = the current UTC year, or the
    // previous one when that would put the time more than a day in the future (timestamp.hpp).
    int year = 0;
};

// Throws UsageError naming the problem (unbalanced brackets, a regex RE2 rejects, no message group).
std::unique_ptr<LineFormat> make_format(const FormatOptions& options);

// The names accepted for FormatOptions::format besides header strings, for --help.
const std::vector<std::string>& builtin_format_names();

}  // namespace logad::parse
