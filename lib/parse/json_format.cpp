// JSON lines from common loggers. Members are mapped by name (case-insensitive):
//   message  message (ECS...), msg (logrus, zap, bunyan, pino), log (a shipper's raw line; its
//            trailing "\n" removed)
//   level    level, severity, lvl, loglevel, levelname, log.level and the nested
//            {"log":{"level":..}} (ECS); strings or numbers (bunyan/pino 10..60)
//   time     time, ts, timestamp, @timestamp, date, datetime: RFC 3339 text or epoch numbers (s
//            with fraction, ms, µs, ns by magnitude)
// A mapped member whose value does not parse stays in the fields. Every other member becomes a
// field whose value is its JSON text (json=true). No message member: the message is the line.
// Lines that wrap a record (Docker json-file, journald, CloudWatch events, Cloud Logging entries,
// Elasticsearch hits, ECS documents) are unwrapped first: json_envelopes.hpp.
// Invalid UTF-8 inside the line is replaced by U+FFFD before parsing.
#include "formats.hpp"

#include "field_roles.hpp"
#include "inner_record.hpp"
#include "json_envelopes.hpp"
#include "json_values.hpp"

#include <logad/util/json_depth.hpp>
#include <logad/util/json_writer.hpp>

#include <cmath>

namespace logad::parse {

std::string json_text(const ordered_json& v) { return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

std::int64_t json_time(const ordered_json& v, const TimeContext& time) {
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        const std::int64_t ms = parse_epoch(s);
        return ms != k_no_time ? ms : parse_timestamp(s, time);
    }
    if (v.is_number_unsigned() || v.is_number_integer()) return parse_epoch(std::to_string(v.get<std::int64_t>()));
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d >= 1e8 && d < 1e11) return std::llround(d * 1000);       // seconds (zap)
        if (d >= 1e11 && d < 1e14) return std::llround(d);              // ms
        if (d >= 1e14 && d < 1e17) return std::llround(d / 1000);       // µs
        if (d >= 1e17 && d < 1e20) return std::llround(d / 1'000'000);  // ns
    }
    return k_no_time;
}

Level json_level(const ordered_json& v) {
    if (v.is_string()) return parse_level(v.get_ref<const std::string&>());
    if (v.is_number_integer() || v.is_number_unsigned()) return parse_level(std::to_string(v.get<std::int64_t>()));
    return Level::unknown;
}

std::string_view json_string(const ordered_json& object, std::string_view key) {
    const auto it = object.find(std::string(key));
    return it != object.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view{};
}

namespace {

// The line with each invalid byte replaced by U+FFFD, so the JSON parser accepts it.
std::string replace_invalid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = util::utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

class JsonFormat final : public LineFormat {
public:
    JsonFormat(const TimeContext& time, bool envelopes) : m_time(time) {
        if (envelopes) m_inner = std::make_unique<InnerRecord>(time);
    }
    std::string_view name() const override { return "json"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::size_t i = 0;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i == line.size() || line[i] != '{') return LineResult::fail("not a JSON object");
        line.remove_prefix(i);
        if (util::json_too_deep(line)) return LineResult::fail("JSON nested too deeply");
        ordered_json doc = ordered_json::parse(line.begin(), line.end(), nullptr, false);
        if (doc.is_discarded() && !util::is_valid_utf8(line)) {
            const std::string clean = replace_invalid_utf8(line);
            doc = ordered_json::parse(clean.begin(), clean.end(), nullptr, false);
        }
        if (doc.is_discarded() || !doc.is_object()) return LineResult::fail("invalid JSON");

        if (m_inner) {
            const Envelope e = read_json_envelope(doc, m_time, *m_inner, out);
            if (e == Envelope::incomplete) return LineResult{LineResult::incomplete, {}};
            if (e == Envelope::record) return LineResult::ok();
        }

        const ordered_json* message = nullptr;
        int message_rank = 99;  // message < msg < log (a shipper's raw line: Fluent Bit, Docker)
        for (auto it = doc.begin(); it != doc.end(); ++it) {
            const std::string& k = it.key();
            const int rank = iequals(k, "message") ? 0 : k == "msg" ? 1 : k == "log" && it->is_string() ? 2 : 99;
            if (rank < message_rank) message = &*it, message_rank = rank;
        }
        if (message) {
            if (message->is_string()) out.message = message->get_ref<const std::string&>();
            else out.message = json_text(*message);
            if (message_rank == 2 && !out.message.empty() && out.message.back() == '\n') out.message.pop_back();
        } else {
            out.message.assign(line);
        }

        for (auto it = doc.begin(); it != doc.end(); ++it) {
            if (&*it == message) continue;
            const std::string& k = it.key();
            const ordered_json& v = *it;
            if (k == "log" && v.is_object() && v.contains("level") && out.level == Level::unknown) {
                out.level = json_level(v["level"]);  // ECS
                if (out.level != Level::unknown) {
                    ordered_json rest = v;
                    rest.erase("level");
                    if (!rest.empty()) add_field(out, k, json_text(rest), true);
                    continue;
                }
            }
            const Role role = iequals(k, "priority") || iequals(k, "levelname") || k == "log.level" ? Role::level
                                                                                                     : role_of(k);
            if (role == Role::level && out.level == Level::unknown) {
                out.level = json_level(v);
                if (out.level != Level::unknown) continue;
            }
            if (role == Role::time && !out.has_time()) {
                out.ts_ms = json_time(v, m_time);
                if (out.has_time()) continue;
            }
            add_field(out, k, json_text(v), true);
        }
        return LineResult::ok();
    }

private:
    TimeContext m_time;
    std::unique_ptr<InnerRecord> m_inner;  // null: envelopes are read as plain records
};

}  // namespace

std::unique_ptr<LineFormat> make_json_format(const TimeContext& time) { return std::make_unique<JsonFormat>(time, true); }
std::unique_ptr<LineFormat> make_plain_json_format(const TimeContext& time) {
    return std::make_unique<JsonFormat>(time, false);
}

}  // namespace logad::parse
