// "<timestamp> [ids] [level] message": the shape of most application logs that no named format
// or known layout covers (log4j/logback, Go's log package, HDFS, Android logcat, Zookeeper...).
// The timestamp is the longest run of up to five leading words (separated by spaces or '|') that
// parse_timestamp accepts, or the text inside a leading [...]. After it, up to two numbers
// (a pid and a thread id: fields pid and tid) and a lone '-' may come before the level, which is
// the next word when it has a letter and parse_level knows it ("INFO", "[warn]", "ERROR:", "D").
// When no level follows, the message is everything after the timestamp. Used by auto only.
#include "formats.hpp"

#include "field_roles.hpp"

#include <algorithm>

namespace logad::parse {
namespace {

bool is_separator(char c) noexcept { return c == ' ' || c == '|'; }

bool all_digits(std::string_view w) noexcept {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_letter(std::string_view w) noexcept {
    return std::any_of(w.begin(), w.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
}

class PrefixedFormat final : public LineFormat {
public:
    explicit PrefixedFormat(const TimeContext& time) : m_time(time) {}
    std::string_view name() const override { return "prefixed"; }

    LineResult parse(std::string_view line, Record& out) const override {
        if (line.empty()) return LineResult::fail("empty");
        std::size_t rest = 0;
        if (line[0] == '[') {
            const std::size_t close = line.find(']');
            if (close == std::string_view::npos || close > 48) return LineResult::fail("no leading timestamp");
            out.ts_ms = parse_timestamp(line.substr(1, close - 1), m_time);
            rest = close + 1;
        } else if ((line[0] >= '0' && line[0] <= '9') || ((line[0] | 0x20) >= 'a' && (line[0] | 0x20) <= 'z')) {
            std::size_t ends[5];
            int words = 0;
            for (std::size_t i = 0; words < 5 && i < line.size() && i < 48;) {
                while (i < line.size() && !is_separator(line[i])) ++i;
                ends[words++] = i;
                if (i < line.size() && line[i] == '|') break;  // "time|component|...": the time is before it
                while (i < line.size() && line[i] == ' ') ++i;
            }
            for (int w = words - 1; w >= 0 && !out.has_time(); --w) {
                out.ts_ms = parse_timestamp(line.substr(0, ends[w]), m_time);
                rest = ends[w];
            }
        }
        if (!out.has_time()) return LineResult::fail("no leading timestamp");
        const std::size_t after_time = skip(line, rest);
        // Ids and a dash, then maybe the level.
        std::size_t pos = after_time;
        std::string_view ids[2];
        int n_ids = 0;
        for (int k = 0; k < 3; ++k) {
            const std::string_view w = word(line, pos);
            if (n_ids < 2 && all_digits(w)) ids[n_ids++] = w;
            else if (w != "-") break;
            pos = skip(line, pos + w.size());
        }
        const std::string_view w = word(line, pos);
        // A number right after the time is a pid or a thread id, not a bunyan level.
        if (has_letter(w) && (out.level = parse_level(w)) != Level::unknown) {
            rest = skip(line, pos + w.size());
            if (rest + 1 < line.size() && line[rest] == '-' && line[rest + 1] == ' ') rest = skip(line, rest + 1);
            static constexpr std::string_view k_id_names[] = {"pid", "tid"};
            for (int k = 0; k < n_ids; ++k) add_field(out, k_id_names[k], ids[k]);
        } else {
            rest = after_time;
        }
        out.message.assign(line.substr(rest));
        return LineResult::ok();
    }

private:
    static std::size_t skip(std::string_view line, std::size_t i) noexcept {
        while (i < line.size() && is_separator(line[i])) ++i;
        return i;
    }
    static std::string_view word(std::string_view line, std::size_t i) noexcept {
        std::size_t e = i;
        while (e < line.size() && !is_separator(line[e])) ++e;
        return line.substr(i, e - i);
    }

    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_prefixed_format(const TimeContext& time) {
    return std::make_unique<PrefixedFormat>(time);
}

}  // namespace logad::parse
