// "<timestamp> [level] message": the shape of most application logs that no named format covers
// (log4j/logback, Python logging, Go's log package...). The timestamp is the longest run of up to
// five leading space-separated words that parse_timestamp accepts, or the text inside a leading
// [...]. The next word is the level when it has a letter and parse_level knows it ("INFO", "[warn]", "ERROR:").
// Used by the auto format only.
#include "formats.hpp"

#include <algorithm>

namespace logad::parse {
namespace {

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
                while (i < line.size() && line[i] != ' ') ++i;
                ends[words++] = i;
                while (i < line.size() && line[i] == ' ') ++i;
            }
            for (int w = words - 1; w >= 0 && !out.has_time(); --w) {
                out.ts_ms = parse_timestamp(line.substr(0, ends[w]), m_time);
                rest = ends[w];
            }
        }
        if (!out.has_time()) return LineResult::fail("no leading timestamp");
        while (rest < line.size() && line[rest] == ' ') ++rest;
        std::size_t word_end = rest;
        while (word_end < line.size() && line[word_end] != ' ') ++word_end;
        const std::string_view word = line.substr(rest, word_end - rest);
        // A number after the time is a pid or a thread id, not a bunyan level.
        if (std::any_of(word.begin(), word.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; })) {
            out.level = parse_level(word);
            if (out.level != Level::unknown) {
                rest = word_end;
                while (rest < line.size() && line[rest] == ' ') ++rest;
                if (rest < line.size() && line[rest] == '-' && rest + 1 < line.size() && line[rest + 1] == ' ')
                    rest += 2;  // "INFO - message"
            }
        }
        out.message.assign(line.substr(rest));
        return LineResult::ok();
    }

private:
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_prefixed_format(const TimeContext& time) {
    return std::make_unique<PrefixedFormat>(time);
}

}  // namespace logad::parse
