// Kubernetes CRI container logs: `2016-10-06T00:17:09.669794202Z stdout F message`. The tag is F
// (full) or P (partial: the line was split, the next line continues it; "incomplete"), possibly
// followed by more ':'-separated tags. Field: stream. A full line whose message is a JSON object
// (a structured logger in the container) is unwrapped as --format json reads it: its message,
// level, time and fields become the record's, after the stream field; the runtime's time is
// kept when the JSON has none.
#include "formats.hpp"

#include "field_roles.hpp"

namespace logad::parse {
namespace {

class CriFormat final : public LineFormat {
public:
    explicit CriFormat(const TimeContext& time) : m_time(time), m_json(make_json_format(time)) {}
    std::string_view name() const override { return "cri"; }

    LineResult parse(std::string_view line, Record& out) const override {
        const std::size_t t = line.find(' ');
        if (t == std::string_view::npos || t < 20) return LineResult::fail("not CRI");
        const std::string_view rest = line.substr(t + 1);
        std::string_view stream;
        if (rest.substr(0, 7) == "stdout ") stream = "stdout";
        else if (rest.substr(0, 7) == "stderr ") stream = "stderr";
        else return LineResult::fail("not CRI");
        if (rest.size() < 8 || (rest[7] != 'F' && rest[7] != 'P') ||
            (rest.size() > 8 && rest[8] != ' ' && rest[8] != ':'))
            return LineResult::fail("not CRI");
        out.ts_ms = parse_timestamp(line.substr(0, t), m_time);
        if (!out.has_time()) return LineResult::fail("bad CRI time");
        const std::size_t msg = rest.find(' ', 8);
        const std::string_view message = msg == std::string_view::npos ? std::string_view{} : rest.substr(msg + 1);
        add_field(out, "stream", stream);
        if (rest[7] == 'P') {
            out.message.assign(message);
            return LineResult{LineResult::incomplete, {}};
        }
        if (!message.empty() && message.front() == '{' && unwrap_json(message, out)) return LineResult::ok();
        out.message.assign(message);
        return LineResult::ok();
    }

private:
    bool unwrap_json(std::string_view message, Record& out) const {
        Record inner;
        if (m_json->parse(message, inner).kind != LineResult::record) return false;
        out.message = std::move(inner.message);
        out.level = inner.level;
        if (inner.has_time()) out.ts_ms = inner.ts_ms;
        for (Field& f : inner.fields) out.fields.push_back(std::move(f));
        return true;
    }

    TimeContext m_time;
    std::unique_ptr<LineFormat> m_json;
};

}  // namespace

std::unique_ptr<LineFormat> make_cri_format(const TimeContext& time) { return std::make_unique<CriFormat>(time); }

}  // namespace logad::parse
