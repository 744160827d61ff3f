#pragma once
// The payload of an envelope (a Docker `log`, a CloudWatch `message`, a journald MESSAGE, an
// Elasticsearch document's `message`, the line after kubectl's prefix) parsed as a log line in its
// own right: a JSON object or a text line in any layout auto mode knows. One level deep: the
// payload's own format never unwraps envelopes again. Internal to lib/parse.
#include <logad/parse/line_format.hpp>
#include <logad/parse/timestamp.hpp>

#include <memory>
#include <string_view>

namespace logad::parse {

class InnerRecord {
public:
    explicit InnerRecord(const TimeContext& time) : m_time(time) {}
    // Parses `text` and merges it into `out`, which holds what the envelope said: the payload's
    // message replaces out's; its level and time win where it has them (the envelope's fill the
    // gaps); its fields follow the envelope's. Not thread-safe (auto remembers its last format).
    void merge(std::string_view text, Record& out) const;
    // The payload format's history (LineFormat::save_history).
    void save_history(std::vector<std::size_t>& out) const { format().save_history(out); }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const { format().load_history(in, at); }

private:
    const LineFormat& format() const;

    TimeContext m_time;
    mutable std::unique_ptr<LineFormat> m_format;  // auto without envelopes, made at first use
    mutable Record m_scratch;
};

}  // namespace logad::parse
