#pragma once
// A LineFormat turns one physical line into a Record. On this per-line hot path results are
// values, never exceptions: a record, a no-match with a reason, or "incomplete" (the line opens
// a record that needs the following lines, e.g. pretty-printed JSON).
#include <logad/export.hpp>
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
    // partly filled on no_match; the caller clears it again. Never throws on any input bytes.
    // Not thread-safe for "auto", which remembers the last format that matched.
    virtual LineResult parse(std::string_view line, Record& out) const = 0;
    // What the format remembers of the lines before (auto: the format that matched last), as a
    // few numbers, so that a block of lines can be parsed ahead on another thread from a guess
    // and parsed again in input order when the guess was wrong (`logad parse --threads`).
    // save_history appends them to `out`; load_history reads them back from `in` at `at`.
    // Parsing is a function of the history and the line, and a line that does not match
    // leaves the history as it was.
    virtual void save_history(std::vector<std::size_t>& out) const { (void)out; }
    virtual void load_history(const std::vector<std::size_t>& in, std::size_t& at) const {
        (void)in;
        (void)at;
    }
};

// The formats (each documented at the top of its lib/parse/*_format.cpp):
//   json     JSON lines: logrus, zap, bunyan, pino, ECS; lines that wrap a record (Docker
//            json-file, journald -o json, CloudWatch events, Cloud Logging entries, Elasticsearch
//            hits) are unwrapped as envelope fields + the inner record, whose line is parsed in
//            its own format (lib/parse/json_envelopes.hpp)
//   logfmt   key=value pairs with a msg, level or time key
//   syslog   RFC 3164 as written to /var/log (with or without <PRI>) and RFC 5424
//   clf      Apache/nginx common and combined access logs; message "GET /path HTTP/1.1 404"
//   cri      Kubernetes container logs; P (partial) lines are joined with the next ones; the
//            message is parsed as the container's own line (JSON or text)
//   raw      the whole line is the message
//   header   a Loghub format string, "<Date> <Time> <Level> \[<Pid>\] <Component>: <Content>":
//            fields are <Name>, a space matches any run of whitespace, \x is a literal x,
//            (...)? is optional, everything else is literal; matched exactly like the Loghub
//            benchmark's regex on the stripped line (lib/parse/header_pattern.hpp)
//   regex    FormatOptions::regex, RE2 with (?P<message>...), (?P<ts>...), (?P<level>...)
//   auto     (default) per line: the last format that matched if it was json, a text envelope,
//            cri, syslog, clf or a known layout; then json, the text envelopes (kubectl logs
//            --prefix, aws logs tail: lib/parse/text_envelopes.cpp), cri, syslog, clf, the known layouts (klog, Python
//            logging, AWS Lambda, Ruby Logger, gunicorn, uvicorn, Laravel, Windows CBS, alternatives.log,
//            BGL, Thunderbird, HPC, OpenStack: known_layouts.hpp), "<timestamp> [pid [tid]] [-]
//            [level] message" (fields pid, tid; prefixed_format.cpp), logfmt. A line none of
//            them takes is a continuation (no_match) when it starts with whitespace,
//            '}', ']', ')', "at ", "Caused by", "Suppressed: ", "...", "Traceback (" or
//            "During handling of"; otherwise a record whose message is the whole line.
// Named fields map to the Record by name, case-insensitively: content/message/msg -> message;
// level/severity/lvl/loglevel -> level (when parse_level knows the value); date, time,
// timestamp, datetime, ts, month, day, year -> ts_ms (a header's date and time pieces are joined
// with spaces and parsed together, else one by one; see timestamp.hpp). A mapped field is not
// repeated in `fields`; a value that does not parse stays there. Everything else goes to
// `fields` in order (JSON members as JSON text, json=true).
// For a header format or a regex, a line that does not match is a no_match, which the
// RecordAssembler treats as a continuation line.
struct FormatOptions {
    // "auto", "json", "logfmt", "syslog", "clf", "cri", "raw", or a header format string in the
    // Loghub style ("<Date> <Time> <Level> <Component>: <Content>").
    std::string format = "auto";
    // RE2 pattern with named groups (?P<message>...), (?P<ts>...), (?P<level>...); overrides format.
    std::string regex;
    // Year for timestamps that carry none (syslog, Android...); 0 = the current UTC year, or the
    // previous one when that would put the time more than a day in the future (timestamp.hpp).
    int year = 0;
    // --tz: the zone of timestamps that carry no offset ("Europe/Berlin", "+02:00"); "" = UTC.
    std::string tz;
};

// Throws UsageError naming the problem (unbalanced brackets, a regex RE2 rejects, no message group).
LOGAD_API std::unique_ptr<LineFormat> make_format(const FormatOptions& options);

// The names accepted for FormatOptions::format besides header strings, for --help.
const std::vector<std::string>& builtin_format_names();

}  // namespace logad::parse
