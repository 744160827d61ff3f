// JSON lines from common loggers. Members are mapped by name (case-insensitive):
//   message  MESSAGE (journald), message (ECS...), msg (logrus, zap, bunyan, pino), log (Docker
//            json-file; its trailing "\n" removed, and a chunk without one is "incomplete")
//   level    level, severity, lvl, loglevel, levelname, PRIORITY (journald), log.level and the
//            nested {"log":{"level":..}} (ECS); strings or numbers (bunyan/pino 10..60)
//   time     time, ts, timestamp, @timestamp, date, datetime, __REALTIME_TIMESTAMP (journald µs):
//            RFC 3339 text or epoch numbers (s with fraction, ms, µs, ns by magnitude)
// A mapped member whose value does not parse stays in the fields. Every other member becomes a
// field whose value is its JSON text (json=true). No message member: the message is the line.
// Invalid UTF-8 inside the line is replaced by U+FFFD before parsing.
#include "formats.hpp"

#include "field_roles.hpp"

#include <logad/util/json_depth.hpp>
#include <logad/util/json_writer.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace logad::parse {
namespace {

using json = nlohmann::ordered_json;  // keeps the members in the order the logger wrote them

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

std::string dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::int64_t json_time(const json& v, const TimeContext& time) {
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

Level json_level(const json& v) {
    if (v.is_string()) return parse_level(v.get_ref<const std::string&>());
    if (v.is_number_integer() || v.is_number_unsigned()) return parse_level(std::to_string(v.get<std::int64_t>()));
    return Level::unknown;
}

class JsonFormat final : public LineFormat {
public:
    explicit JsonFormat(const TimeContext& time) : m_time(time) {}
    std::string_view name() const override { return "json"; }

    LineResult parse(std::string_view line, Record& out) const override {
        std::size_t i = 0;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i == line.size() || line[i] != '{') return LineResult::fail("not a JSON object");
        line.remove_prefix(i);
        if (util::json_too_deep(line)) return LineResult::fail("JSON nested too deeply");
        json doc = json::parse(line.begin(), line.end(), nullptr, false);
        if (doc.is_discarded() && !util::is_valid_utf8(line)) {
            const std::string clean = replace_invalid_utf8(line);
            doc = json::parse(clean.begin(), clean.end(), nullptr, false);
        }
        if (doc.is_discarded() || !doc.is_object()) return LineResult::fail("invalid JSON");

        const json* message = nullptr;
        int message_rank = 99;  // MESSAGE/message < msg < log
        bool docker = false;
        for (auto it = doc.begin(); it != doc.end(); ++it) {
            const std::string& k = it.key();
            int rank = 99;
            if (iequals(k, "message")) rank = 0;
            else if (k == "msg") rank = 1;
            else if (k == "log" && it->is_string()) rank = 2;
            if (rank < message_rank && (it->is_string() || rank < 2)) message = &*it, message_rank = rank;
        }
        docker = message_rank == 2;

        bool incomplete = false;
        if (message) {
            if (message->is_string()) out.message = message->get_ref<const std::string&>();
            else out.message = dump(*message);  // journald writes binary MESSAGE as a byte array
            if (docker) {
                if (!out.message.empty() && out.message.back() == '\n') {
                    out.message.pop_back();
                    if (!out.message.empty() && out.message.back() == '\r') out.message.pop_back();
                } else if (doc.contains("stream")) {
                    incomplete = true;  // json-file splits long lines into 16 KiB chunks
                }
            }
        } else {
            out.message.assign(line);
        }

        for (auto it = doc.begin(); it != doc.end(); ++it) {
            if (&*it == message) continue;
            const std::string& k = it.key();
            const json& v = *it;
            if (k == "log" && v.is_object() && v.contains("level") && out.level == Level::unknown) {
                out.level = json_level(v["level"]);  // ECS
                if (out.level != Level::unknown) {
                    json rest = v;
                    rest.erase("level");
                    if (!rest.empty()) add_field(out, k, dump(rest), true);
                    continue;
                }
            }
            const Role role = iequals(k, "priority") || iequals(k, "levelname") || k == "log.level"
                                  ? Role::level
                                  : iequals(k, "__realtime_timestamp") ? Role::time : role_of(k);
            if (role == Role::level && out.level == Level::unknown) {
                out.level = json_level(v);
                if (out.level != Level::unknown) continue;
            }
            if (role == Role::time && !out.has_time()) {
                out.ts_ms = json_time(v, m_time);
                if (out.has_time()) continue;
            }
            add_field(out, k, dump(v), true);
        }
        return incomplete ? LineResult{LineResult::incomplete, {}} : LineResult::ok();
    }

private:
    TimeContext m_time;
};

}  // namespace

std::unique_ptr<LineFormat> make_json_format(const TimeContext& time) { return std::make_unique<JsonFormat>(time); }

}  // namespace logad::parse
