// Kubernetes CRI container logs: `2016-10-06T00:17:09.669794202Z stdout F message`. The tag is F
// (full) or P (partial: the line was split, the next line continues it; "incomplete"), possibly
// followed by more ':'-separated tags. Field: stream. A full line's message is the container's own
// log line, read as auto mode reads a line (a JSON object from a structured logger, or a text
// layout): its message, level, time and fields become the record's, after the stream field; the
// runtime's time is kept when the line has none (inner_record.hpp).
#include "formats.hpp"

#include "field_roles.hpp"
#include "inner_record.hpp"

namespace logad::parse {
namespace {

class CriFormat final : public LineFormat {
public:
    explicit CriFormat(const TimeContext& time) : m_time(time), m_inner(time) {}
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
        m_inner.merge(message, out);
        return LineResult::ok();
    }

    void save_history(std::vector<std::size_t>& out) const override { m_inner.save_history(out); }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const override {
        m_inner.load_history(in, at);
    }

private:
    TimeContext m_time;
    InnerRecord m_inner;
};

}  // namespace

std::unique_ptr<LineFormat> make_cri_format(const TimeContext& time) { return std::make_unique<CriFormat>(time); }

}  // namespace logad::parse
