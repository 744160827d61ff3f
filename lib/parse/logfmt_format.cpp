// logfmt: `time=2024-05-01T10:00:00Z level=info msg="user logged in" user=42`. Every token must be
// key=value (value bare or "quoted" with \" \\ \n \t escapes); at least two pairs, one of them a
// message, level or time key (role_of), so ordinary prose with one `a=b` in it is not logfmt.
// Keys are mapped like header fields; the rest become plain-text fields. No msg key: the message
// is the whole line.
#include "formats.hpp"

#include "field_roles.hpp"

namespace logad::parse {
namespace {

bool key_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == '/' || c == '@' || c == ':';
}

class LogfmtFormat final : public LineFormat {
public:
    explicit LogfmtFormat(const TimeContext& time) : m_time(time) {}
    std::string_view name() const override { return "logfmt"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::size_t i = 0, pairs = 0;
        bool known = false, have_message = false;
        std::string value;
        const std::size_t n = line.size();
        while (i < n) {
            while (i < n && line[i] == ' ') ++i;
            if (i == n) break;
            const std::size_t key_begin = i;
            while (i < n && key_char(line[i])) ++i;
            if (i == key_begin || i == n || line[i] != '=') return LineResult::fail("not key=value");
            const std::string_view key = line.substr(key_begin, i - key_begin);
            ++i;
            value.clear();
            if (i < n && line[i] == '"') {
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = line[i++];
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\' && i < n) {
                        const char e = line[i++];
                        value += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
                    } else {
                        value += c;
                    }
                }
                if (!closed || (i < n && line[i] != ' ')) return LineResult::fail("unterminated quoted value");
            } else {
                const std::size_t v = i;
                while (i < n && line[i] != ' ') ++i;
                value.assign(line.substr(v, i - v));
            }
            ++pairs;
            const Role role = role_of(key);
            if (role != Role::other) known = true;
            if (role == Role::message && !have_message) {
                out.message = value;
                have_message = true;
                continue;
            }
            if (role == Role::level && out.level == Level::unknown) {
                out.level = level_of(value);
                if (out.level != Level::unknown) continue;
            }
            if (role == Role::time && !out.has_time()) {
                out.ts_ms = parse_timestamp(value, m_time);
                if (out.ts_ms == k_no_time) out.ts_ms = parse_epoch(value);
                if (out.has_time()) continue;
            }
            add_field(out, key, value);
        }
        if (pairs < 2 || !known) return LineResult::fail("too few logfmt pairs");
        if (!have_message) out.message.assign(line);
        return LineResult::ok();
    }

private:
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_logfmt_format(const TimeContext& time) {
    return std::make_unique<LogfmtFormat>(time);
}

}  // namespace logad::parse
