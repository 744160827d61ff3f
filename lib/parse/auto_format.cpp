// --format auto. Per line: the format that matched the previous line is tried first when it is a
// strict one (json, cri, syslog, clf, a known layout), then json (lines starting with '{'), cri,
// syslog, clf, the known layouts (klog, Python logging, gunicorn, BGL...: known_layouts.cpp),
// prefixed ("<timestamp> [level] message") and logfmt, in that order. So detection needs no
// warm-up and mixed streams (JSON interleaved with syslog) parse line by line.
// A line none of them matches is a continuation (no_match: the assembler folds it into the
// record before it) when looks_like_continuation() says so; otherwise a record whose message is
// the whole line (as --format raw).
#include "formats.hpp"

#include <array>
#include <cctype>

namespace logad::parse {

namespace {

// "java.net.ConnectException: refused", "org.x.FooError" or "ValueError: bad": the first line of
// an exception a stack trace prints under the log line that reported it.
bool is_exception_line(std::string_view line) noexcept {
    std::size_t end = 0;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '.' ||
                                 line[end] == '_' || line[end] == '$'))
        ++end;
    if (end < line.size() && line[end] != ':') return false;
    const std::string_view name = line.substr(0, end);
    for (std::string_view suffix : {"Exception", "Error", "Throwable"})
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return true;
    return false;
}

}  // namespace

bool looks_like_continuation(std::string_view line) noexcept {
    if (line.empty()) return false;
    const char c = line[0];
    if (c == ' ' || c == '\t' || c == '}' || c == ']' || c == ')') return true;
    for (std::string_view p : {"at ", "Caused by", "Suppressed: ", "...", "Traceback (", "During handling of"})
        if (line.substr(0, p.size()) == p) return true;
    return is_exception_line(line);
}

namespace {

class AutoFormat final : public LineFormat {
public:
    explicit AutoFormat(const TimeContext& time)
        : m_formats{make_json_format(time), make_cri_format(time), make_syslog_format(time), make_clf_format(time),
                    make_layouts_format(time), make_prefixed_format(time), make_logfmt_format(time)} {}

    std::string_view name() const override { return "auto"; }

    // Not thread-safe: remembers the last format that matched.
    LineResult parse(std::string_view line, Record& out) const override {
        const auto attempt = [&](std::size_t k) {
            const LineResult r = m_formats[k]->parse(line, out);
            if (r.kind == LineResult::no_match) {
                const std::uint64_t n = out.line;
                out.clear();
                out.line = n;
            }
            return r;
        };
        if (m_last < k_strict) {
            const LineResult r = attempt(m_last);
            if (r.kind != LineResult::no_match) return r;
        }
        for (std::size_t k = 0; k < m_formats.size(); ++k) {
            if (k == m_last && k < k_strict) continue;
            if (k == 0 && (line.empty() || line[0] != '{')) continue;
            const LineResult r = attempt(k);
            if (r.kind != LineResult::no_match) {
                m_last = k;
                return r;
            }
        }
        if (looks_like_continuation(line)) return LineResult::fail("continuation line");
        out.message.assign(line);
        return LineResult::ok();
    }

private:
    static constexpr std::size_t k_strict = 5;  // json, cri, syslog, clf, layouts
    std::array<std::unique_ptr<LineFormat>, 7> m_formats;
    mutable std::size_t m_last = k_strict;
};

}  // namespace

std::unique_ptr<LineFormat> make_auto_format(const TimeContext& time) { return std::make_unique<AutoFormat>(time); }

}  // namespace logad::parse
