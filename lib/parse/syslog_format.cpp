// syslog as found in files and on the wire.
//   RFC 3164:  [<PRI>]Oct 11 22:14:15 host prog[pid]: message
//              (the timestamp may also be RFC 3339, as rsyslog's high-precision template writes)
//   RFC 5424:  <PRI>1 2003-10-11T22:14:15.003Z host app procid msgid [sd-id k="v"] message
// Level from the PRI's severity (PRI % 8) when there is one. Fields: host, app, pid (3164);
// host, app, procid, msgid, structured_data (5424); facility when there is a PRI. "-" (nil) values
// are left out.
#include "formats.hpp"

#include "field_roles.hpp"

namespace logad::parse {
namespace {

constexpr std::string_view k_facilities[] = {"kern",   "user",   "mail",   "daemon", "auth",   "syslog", "lpr",
                                             "news",   "uucp",   "cron",   "authpriv", "ftp",  "ntp",    "security",
                                             "console", "clock", "local0", "local1", "local2", "local3", "local4",
                                             "local5", "local6", "local7"};

// Next space-delimited token; `i` ends on the space after it.
std::string_view token(std::string_view s, std::size_t& i) {
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    return s.substr(b, i - b);
}

class SyslogFormat final : public LineFormat {
public:
    explicit SyslogFormat(const TimeContext& time) : m_time(time) {}
    std::string_view name() const override { return "syslog"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::size_t i = 0;
        int pri = -1;
        if (!line.empty() && line[0] == '<') {
            int v = 0;
            std::size_t j = 1;
            while (j < line.size() && j < 5 && line[j] >= '0' && line[j] <= '9') v = v * 10 + (line[j++] - '0');
            if (j == 1 || j >= line.size() || line[j] != '>' || v > 191) return LineResult::fail("bad syslog <PRI>");
            pri = v;
            i = j + 1;
            const char sev[2] = {static_cast<char>('0' + pri % 8), 0};
            out.level = parse_level({sev, 1});
            add_field(out, "facility", k_facilities[pri / 8]);
            if (i + 1 < line.size() && line[i] >= '1' && line[i] <= '9' && line[i + 1] == ' ')
                return rfc5424(line, i + 2, out);
        }
        return rfc3164(line, i, out);
    }

private:
    LineResult rfc3164(std::string_view line, std::size_t i, Record& out) const {
        const std::string_view rest = line.substr(i);
        std::size_t ts_len = 0;
        if (rest.size() >= 16 && rest[3] == ' ' && rest[6] == ' ' && rest[9] == ':' && rest[15] == ' ') {
            ts_len = 15;  // "Oct 11 22:14:15"
        } else if (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
            ts_len = rest.find(' ');  // RFC 3339, with a time: a bare date starts many non-syslog logs
            if (ts_len == std::string_view::npos || rest.substr(0, ts_len).find('T') == std::string_view::npos)
                return LineResult::fail("no syslog timestamp");
        } else {
            return LineResult::fail("no syslog timestamp");
        }
        out.ts_ms = parse_timestamp(rest.substr(0, ts_len), m_time);
        if (!out.has_time()) return LineResult::fail("no syslog timestamp");
        i += ts_len + 1;
        while (i < line.size() && line[i] == ' ') ++i;
        const std::string_view host = token(line, i);
        if (host.empty() || i >= line.size()) return LineResult::fail("no syslog host");
        add_field(out, "host", host);
        ++i;
        // TAG[pid]: or TAG: ; without one the rest is all message (kernel lines on some systems)
        const std::size_t tag_begin = i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ' && line[j] != ':' && line[j] != '[') ++j;
        std::string_view app, pid;
        std::size_t msg = i;
        if (j < line.size() && j > tag_begin) {
            if (line[j] == '[') {
                const std::size_t close = line.find(']', j);
                if (close != std::string_view::npos && close + 1 < line.size() && line[close + 1] == ':') {
                    app = line.substr(tag_begin, j - tag_begin);
                    pid = line.substr(j + 1, close - j - 1);
                    msg = close + 2;
                }
            } else if (line[j] == ':') {
                app = line.substr(tag_begin, j - tag_begin);
                msg = j + 1;
            }
        }
        if (msg < line.size() && line[msg] == ' ') ++msg;
        if (!app.empty()) add_field(out, "app", app);
        if (!pid.empty()) add_field(out, "pid", pid);
        out.message.assign(line.substr(std::min(msg, line.size())));
        return LineResult::ok();
    }

    LineResult rfc5424(std::string_view line, std::size_t i, Record& out) const {
        const std::string_view ts = token(line, i);
        if (ts != "-") {
            out.ts_ms = parse_timestamp(ts, m_time);
            if (!out.has_time()) return LineResult::fail("bad RFC 5424 timestamp");
        }
        static constexpr std::string_view k_names[] = {"host", "app", "procid", "msgid"};
        for (std::string_view key : k_names) {
            if (i >= line.size()) return LineResult::fail("short RFC 5424 header");
            ++i;
            const std::string_view v = token(line, i);
            if (v.empty()) return LineResult::fail("short RFC 5424 header");
            if (v != "-") add_field(out, key, v);
        }
        if (i < line.size()) ++i;
        // STRUCTURED-DATA: "-" or one or more [id k="v" ...] with \" \] escapes inside values.
        if (i < line.size() && line[i] == '[') {
            const std::size_t b = i;
            while (i < line.size() && line[i] == '[') {
                bool quoted = false;
                for (++i; i < line.size(); ++i) {
                    const char c = line[i];
                    if (c == '\\') ++i;
                    else if (c == '"') quoted = !quoted;
                    else if (c == ']' && !quoted) break;
                }
                if (i >= line.size()) return LineResult::fail("unterminated RFC 5424 structured data");
                ++i;
            }
            add_field(out, "structured_data", line.substr(b, i - b));
        } else if (i < line.size() && line[i] == '-') {
            ++i;
        }
        if (i < line.size() && line[i] == ' ') ++i;
        std::string_view msg = line.substr(std::min(i, line.size()));
        if (msg.substr(0, 3) == "\xEF\xBB\xBF") msg.remove_prefix(3);  // UTF-8 BOM
        out.message.assign(msg);
        return LineResult::ok();
    }

    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_syslog_format(const TimeContext& time) {
    return std::make_unique<SyslogFormat>(time);
}

}  // namespace logad::parse
