// --format auto. Per line: the format that matched the previous line is tried first when it is a
// strict one (json, the text envelopes, cri, syslog, clf, a known layout), then json (lines
// starting with '{'; envelopes such as Docker's or CloudWatch's unwrapped: json_envelopes.hpp),
// the text envelopes (kubectl --prefix, aws logs tail: text_envelopes.cpp), cri, syslog, clf,
// the known layouts (klog, Python logging, gunicorn, BGL...: known_layouts.cpp),
// prefixed ("<timestamp> [level] message") and logfmt, in that order. So detection needs no
// warm-up and mixed streams (JSON interleaved with syslog) parse line by line.
// A line none of them matches is a continuation (no_match: the assembler folds it into the
// record before it) when looks_like_continuation() says so; otherwise a record whose message is
// the whole line (as --format raw).
#include "formats.hpp"

#include <vector>
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
    // `envelopes`: also unwrap envelopes (JSON ones, text prefixes, CRI); off for the payload inside
    // one, so unwrapping stops one level deep.
    AutoFormat(const TimeContext& time, bool envelopes) {
        m_formats.push_back(envelopes ? make_json_format(time) : make_plain_json_format(time));
        if (envelopes) {  // CRI is an envelope too: its message is read as the inner record
            m_formats.push_back(make_text_envelope_format(time));
            m_formats.push_back(make_cri_format(time));
        }
        for (auto* make : {make_syslog_format, make_clf_format, make_layouts_format}) m_formats.push_back(make(time));
        m_strict = m_formats.size();
        m_last = m_strict;
        m_formats.push_back(make_prefixed_format(time));
        m_formats.push_back(make_logfmt_format(time));
    }

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
        if (m_last < m_strict) {
            const LineResult r = attempt(m_last);
            if (r.kind != LineResult::no_match) return r;
        }
        for (std::size_t k = 0; k < m_formats.size(); ++k) {
            if (k == m_last && k < m_strict) continue;
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

    void save_history(std::vector<std::size_t>& out) const override {
        out.push_back(m_last);
        for (const auto& f : m_formats) f->save_history(out);
    }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const override {
        m_last = in.at(at++);
        for (const auto& f : m_formats) f->load_history(in, at);
    }

private:
    std::vector<std::unique_ptr<LineFormat>> m_formats;
    std::size_t m_strict = 0;  // formats before this index are strict: remembered when they match
    mutable std::size_t m_last = 0;
};

}  // namespace

std::unique_ptr<LineFormat> make_auto_format(const TimeContext& time) { return std::make_unique<AutoFormat>(time, true); }
std::unique_ptr<LineFormat> make_inner_auto_format(const TimeContext& time) {
    return std::make_unique<AutoFormat>(time, false);
}

}  // namespace logad::parse
