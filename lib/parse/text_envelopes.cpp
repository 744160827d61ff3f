// Text lines that a client prefixed to a log line, recognised by the prefix's exact shape and
// unwrapped as prefix fields + the inner record (inner_record.hpp):
//   kubectl logs --prefix    `[pod/NAME/CONTAINER] line`: fields pod, container
//   aws logs tail            `2024-05-01T10:00:00.123000+00:00 STREAM message` (the default
//                            "detailed" format, also with --follow: Python's isoformat with
//                            microseconds and +00:00, then the log stream name): time, field
//                            log_stream. A second word that is a level name is not a stream: such
//                            lines are an application's own (the prefixed layout reads them).
#include "formats.hpp"

#include "field_roles.hpp"
#include "inner_record.hpp"

#include <cctype>

namespace logad::parse {
namespace {

bool digits_only(std::string_view s) noexcept {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// `2024-05-01T10:00:00.123000+00:00` at the start of `line`: 32 characters.
bool aws_tail_time(std::string_view line) noexcept {
    if (line.size() < 33 || line[32] != ' ') return false;
    return digits_only(line.substr(0, 4)) && line[4] == '-' && digits_only(line.substr(5, 2)) && line[7] == '-' &&
           digits_only(line.substr(8, 2)) && line[10] == 'T' && digits_only(line.substr(11, 2)) && line[13] == ':' &&
           digits_only(line.substr(14, 2)) && line[16] == ':' && digits_only(line.substr(17, 2)) && line[19] == '.' &&
           digits_only(line.substr(20, 6)) && line.substr(26, 6) == "+00:00";
}

class TextEnvelopeFormat final : public LineFormat {
public:
    explicit TextEnvelopeFormat(const TimeContext& time) : m_time(time), m_inner(time) {}
    std::string_view name() const override { return "envelope"; }

    LineResult parse(std::string_view line, Record& out) const override {
        if (line.substr(0, 5) == "[pod/") return kubectl_prefix(line, out);
        if (aws_tail_time(line)) return aws_tail(line, out);
        return LineResult::fail("no envelope");
    }

    void save_history(std::vector<std::size_t>& out) const override { m_inner.save_history(out); }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const override {
        m_inner.load_history(in, at);
    }

private:
    LineResult kubectl_prefix(std::string_view line, Record& out) const {
        const std::size_t end = line.find(']');
        if (end == std::string_view::npos || (end + 1 < line.size() && line[end + 1] != ' '))
            return LineResult::fail("not a kubectl prefix");
        const std::string_view ref = line.substr(5, end - 5);  // NAME/CONTAINER
        const std::size_t slash = ref.find('/');
        if (slash == 0 || slash == std::string_view::npos || slash + 1 == ref.size() ||
            ref.find_first_of("/ ", slash + 1) != std::string_view::npos || ref.substr(0, slash).find(' ') != std::string_view::npos)
            return LineResult::fail("not a kubectl prefix");
        add_field(out, "pod", ref.substr(0, slash));
        add_field(out, "container", ref.substr(slash + 1));
        m_inner.merge(end + 2 <= line.size() ? line.substr(end + 2) : std::string_view{}, out);
        return LineResult::ok();
    }

    LineResult aws_tail(std::string_view line, Record& out) const {
        std::string_view rest = line.substr(33);
        const std::size_t space = rest.find(' ');
        const std::string_view stream = rest.substr(0, space);
        if (stream.empty() || level_of(stream) != Level::unknown) return LineResult::fail("not aws logs tail");
        out.ts_ms = parse_timestamp(line.substr(0, 32), m_time);
        if (!out.has_time()) return LineResult::fail("bad aws logs tail time");
        add_field(out, "log_stream", stream);
        m_inner.merge(space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1), out);
        return LineResult::ok();
    }

    TimeContext m_time;
    InnerRecord m_inner;
};

}  // namespace

std::unique_ptr<LineFormat> make_text_envelope_format(const TimeContext& time) {
    return std::make_unique<TextEnvelopeFormat>(time);
}

}  // namespace logad::parse
