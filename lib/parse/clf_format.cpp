// Common and combined log format (Apache, nginx):
//   127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://ref/" "Mozilla/4.08"
// The message is the request line and the status ("GET /a.gif HTTP/1.0 200") so templates
// separate by status. Level: 5xx error, 4xx warn, else info. Fields: client, ident, user, status,
// bytes, referer, user_agent ("-" values left out); text after the user agent goes to `extra`.
#include "formats.hpp"

#include "field_roles.hpp"

namespace logad::parse {
namespace {

// A "quoted" value with \" escapes kept as written; `i` at the opening quote, ends after the close.
bool quoted(std::string_view s, std::size_t& i, std::string_view& out) {
    if (i >= s.size() || s[i] != '"') return false;
    const std::size_t b = ++i;
    for (; i < s.size(); ++i) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '"') break;
    }
    if (i >= s.size()) return false;
    out = s.substr(b, i - b);
    ++i;
    return true;
}

std::string_view word(std::string_view s, std::size_t& i) {
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    return s.substr(b, i - b);
}

bool space(std::string_view s, std::size_t& i) {
    if (i >= s.size() || s[i] != ' ') return false;
    while (i < s.size() && s[i] == ' ') ++i;
    return true;
}

class ClfFormat final : public LineFormat {
public:
    explicit ClfFormat(const TimeContext& time) : m_time(time) {}
    std::string_view name() const override { return "clf"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::size_t i = 0;
        const std::string_view client = word(line, i);
        if (client.empty() || !space(line, i)) return LineResult::fail("not CLF");
        const std::string_view ident = word(line, i);
        if (!space(line, i)) return LineResult::fail("not CLF");
        const std::string_view user = word(line, i);
        if (!space(line, i) || i >= line.size() || line[i] != '[') return LineResult::fail("not CLF");
        const std::size_t close = line.find(']', i);
        if (close == std::string_view::npos) return LineResult::fail("not CLF");
        out.ts_ms = parse_timestamp(line.substr(i + 1, close - i - 1), m_time);
        if (!out.has_time()) return LineResult::fail("bad CLF time");
        i = close + 1;
        std::string_view request;
        if (!space(line, i) || !quoted(line, i, request) || !space(line, i)) return LineResult::fail("not CLF");
        const std::string_view status = word(line, i);
        if (status.size() != 3 || status[0] < '1' || status[0] > '5') return LineResult::fail("bad CLF status");
        for (char c : status)
            if (c < '0' || c > '9') return LineResult::fail("bad CLF status");
        std::string_view bytes, referer, agent;
        if (space(line, i)) bytes = word(line, i);
        std::size_t after = i;
        if (space(line, i) && quoted(line, i, referer)) {
            after = i;
            if (space(line, i) && quoted(line, i, agent)) after = i;
        }
        i = after;

        out.message.assign(request);
        out.message += ' ';
        out.message.append(status);
        out.level = status[0] == '5' ? Level::error : status[0] == '4' ? Level::warn : Level::info;
        add_field(out, "client", client);
        const auto put = [&](std::string_view key, std::string_view v) {
            if (!v.empty() && v != "-") add_field(out, key, v);
        };
        put("ident", ident);
        put("user", user);
        put("status", status);
        put("bytes", bytes);
        put("referer", referer);
        put("user_agent", agent);
        while (i < line.size() && line[i] == ' ') ++i;
        put("extra", line.substr(i));
        return LineResult::ok();
    }

private:
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_clf_format(const TimeContext& time) { return std::make_unique<ClfFormat>(time); }

}  // namespace logad::parse
