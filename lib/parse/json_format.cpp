// JSON lines from common loggers. Members are mapped by name (case-insensitive):
//   message  MESSAGE (journald), message (ECS...), msg (logrus, zap, bunyan, pino), log (Docker
//            json-file; its trailing "\n" removed, and a chunk without one is "incomplete")
//   level    level, severity, lvl, loglevel, levelname, PRIORITY (journald), log.level and the
//            nested {"log":{"level":..}} (ECS); strings or numbers (bunyan/pino 10..60)
//   time     time, ts, timestamp, @timestamp, date, datetime, __REALTIME_TIMESTAMP (journald µs):
//            RFC 3339 text or epoch numbers (s with fraction, ms, µs, ns by magnitude)
// A mapped member whose value does not parse stays in the fields. Every other member becomes a
// field whose value is its JSON text (json=true). No message member: the message is the line.
// Lines that wrap a record (Docker json-file, journald, CloudWatch events, Cloud Logging entries,
// Elasticsearch hits, ECS documents) are unwrapped first: json_envelopes.hpp. Flat and shallow
// objects are read by a one-pass scanner (json_members.hpp); deeper ones, those with a member an
// envelope is known by and those with an object under `log` (ECS's log.level), by the DOM.
// Invalid UTF-8 inside the line is replaced by U+FFFD before parsing.
#include "formats.hpp"

#include "field_roles.hpp"
#include "inner_record.hpp"
#include "json_envelopes.hpp"
#include "json_members.hpp"
#include "json_values.hpp"

#include <logad/util/json_depth.hpp>
#include <logad/util/json_writer.hpp>
#include <logad/util/thread_scratch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
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

using json = ordered_json;

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

std::int64_t json_time(const JsonMember& v, const TimeContext& time) {
    switch (v.kind) {
        case JsonKind::string: {
            const std::int64_t ms = parse_epoch(v.value);
            return ms != k_no_time ? ms : parse_timestamp(v.value, time);
        }
        case JsonKind::integer:
        case JsonKind::unsigned_integer: return parse_epoch(std::to_string(v.integer));
        case JsonKind::floating: {
            const double d = v.floating;
            if (d >= 1e8 && d < 1e11) return std::llround(d * 1000);       // seconds (zap)
            if (d >= 1e11 && d < 1e14) return std::llround(d);              // ms
            if (d >= 1e14 && d < 1e17) return std::llround(d / 1000);       // µs
            if (d >= 1e17 && d < 1e20) return std::llround(d / 1'000'000);  // ns
            return k_no_time;
        }
        default: return k_no_time;
    }
}

Level json_level(const JsonMember& v) {
    if (v.kind == JsonKind::string) return parse_level(v.value);
    if (v.kind == JsonKind::integer || v.kind == JsonKind::unsigned_integer) return parse_level(std::to_string(v.integer));
    return Level::unknown;
}

// One DOM value typed as the scanner types it; `text` holds its JSON text.
JsonMember member_of(const json& v, std::string& text) {
    JsonMember m;
    if (v.is_string()) {
        m.kind = JsonKind::string;
        m.value = v.get_ref<const std::string&>();
        append_json_like_dump(text, m.value);
        m.json = text;
        return m;
    }
    if (v.is_number_unsigned()) {
        m.kind = JsonKind::unsigned_integer;
        m.integer = v.get<std::int64_t>();
    } else if (v.is_number_integer()) {
        m.kind = JsonKind::integer;
        m.integer = v.get<std::int64_t>();
    } else if (v.is_number_float()) {
        m.kind = JsonKind::floating;
        m.floating = v.get<double>();
    } else {
        m.kind = v.is_structured() ? JsonKind::composite : JsonKind::literal;
    }
    text = dump(v);
    m.value = m.json = text;
    return m;
}

// The members of a parsed document; `texts` holds what they point to (one string per member,
// sized first so nothing moves).
void members_of(const json& doc, std::vector<JsonMember>& members, std::vector<const json*>& values,
                std::vector<std::string>& texts) {
    members.clear();
    values.clear();
    texts.assign(doc.size(), std::string());
    std::size_t k = 0;
    for (auto it = doc.begin(); it != doc.end(); ++it, ++k) {
        values.push_back(&*it);
        members.push_back(member_of(*it, texts[k]));
        members.back().key = it.key();
    }
}

// What one thread reuses from line to line (per thread, so a format object stays safe to share).
struct JsonScratch {
    std::vector<JsonMember> members;
    std::string text;                  // the scanner's unescaped strings and numbers
    std::string nested;                // and its scratch space for nested values
    std::vector<const json*> values;   // the DOM's values, when the members came from it
    std::vector<std::string> texts;    // and their JSON text
};

// A member one of the envelopes is known by (json_envelopes.hpp): worth the DOM, which decides.
// Cheap, as it runs on every line the scanner read.
bool may_wrap_a_record(const std::vector<JsonMember>& members) {
    static constexpr std::string_view k_keys[] = {"_index", "_id", "_source", "__REALTIME_TIMESTAMP", "MESSAGE",
                                                  "eventId", "ecs", "ecs.version", "ingestionTime", "insertId",
                                                  "textPayload", "jsonPayload", "protoPayload", "resource",
                                                  "logStreamName", "logName", "stream"};
    for (const JsonMember& m : members)
        for (const std::string_view k : k_keys)
            if (!m.key.empty() && m.key[0] == k[0] && m.key == k) return true;
    return false;
}

// An object under `log` (ECS's {"log":{"level":..}}): map_members reads it from the DOM value.
bool holds_log_object(const std::vector<JsonMember>& members) {
    return std::any_of(members.begin(), members.end(),
                       [](const JsonMember& m) { return m.kind == JsonKind::composite && m.key == "log"; });
}

JsonScratch& json_scratch() { return util::thread_scratch<JsonScratch>(); }

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
        JsonScratch& scratch = json_scratch();
        scratch.values.clear();
        json doc;
        const bool scanned = scan_shallow_object(line, scratch.members, scratch.text, scratch.nested) &&
                          !holds_log_object(scratch.members);
        if (!scanned || (m_inner && may_wrap_a_record(scratch.members))) {
            // deeply nested, or something only the full parser decides: the DOM
            if (util::json_too_deep(line)) return LineResult::fail("JSON nested too deeply");
            doc = json::parse(line.begin(), line.end(), nullptr, false);
            if (doc.is_discarded() && !util::is_valid_utf8(line)) {
                const std::string clean = replace_invalid_utf8(line);
                doc = json::parse(clean.begin(), clean.end(), nullptr, false);
            }
            if (doc.is_discarded() || !doc.is_object()) return LineResult::fail("invalid JSON");
            if (m_inner) {
                const Envelope e = read_json_envelope(doc, m_time, *m_inner, out);
                if (e == Envelope::incomplete) return LineResult{LineResult::incomplete, {}};
                if (e == Envelope::record) return LineResult::ok();
            }
            if (!scanned) members_of(doc, scratch.members, scratch.values, scratch.texts);
        }
        return map_members(scratch.members, scratch.values, line, out);
    }

private:
    // `values` is empty for a scanned object, else the DOM value of each member.
    LineResult map_members(const std::vector<JsonMember>& members, const std::vector<const json*>& values,
                           std::string_view line, Record& out) const {
        const JsonMember* message = nullptr;
        int message_rank = 99;  // MESSAGE/message < msg < log
        for (const JsonMember& m : members) {
            int rank = 99;
            if (iequals(m.key, "message")) rank = 0;
            else if (m.key == "msg") rank = 1;
            else if (m.key == "log" && m.is_string()) rank = 2;
            if (rank < message_rank && (m.is_string() || rank < 2)) message = &m, message_rank = rank;
        }
        const bool docker = message_rank == 2;

        // a member's JSON text; a floating number from the scanner has it written here
        char number[k_double_room];
        const auto json_text = [&number](const JsonMember& m) -> std::string_view {
            if (m.kind != JsonKind::floating || !m.json.empty()) return m.json;
            return {number, static_cast<std::size_t>(write_double_like_dump(number, m.floating) - number)};
        };

        bool incomplete = false;
        if (message) {
            // a string's text, else its JSON (journald writes binary MESSAGE as a byte array)
            out.message.assign(message->is_string() ? message->value : json_text(*message));
            if (docker) {
                if (!out.message.empty() && out.message.back() == '\n') {
                    out.message.pop_back();
                    if (!out.message.empty() && out.message.back() == '\r') out.message.pop_back();
                } else if (std::any_of(members.begin(), members.end(), [](const JsonMember& m) { return m.key == "stream"; })) {
                    incomplete = true;  // json-file splits long lines into 16 KiB chunks
                }
            }
        } else {
            out.message.assign(line);
        }

        for (std::size_t k = 0; k < members.size(); ++k) {
            const JsonMember& m = members[k];
            if (&m == message) continue;
            const std::string_view key = m.key;
            if (key == "log" && m.kind == JsonKind::composite && out.level == Level::unknown) {
                const json& v = *values[k];
                if (v.is_object() && v.contains("level")) {
                    std::string level_text;
                    out.level = json_level(member_of(v["level"], level_text));  // ECS
                    if (out.level != Level::unknown) {
                        json rest = v;
                        rest.erase("level");
                        if (!rest.empty()) add_field(out, key, dump(rest), true);
                        continue;
                    }
                }
            }
            const Role role = iequals(key, "priority") || iequals(key, "levelname") || key == "log.level"
                                  ? Role::level
                                  : iequals(key, "__realtime_timestamp") ? Role::time : role_of(key);
            if (role == Role::level && out.level == Level::unknown) {
                out.level = json_level(m);
                if (out.level != Level::unknown) continue;
            }
            if (role == Role::time && !out.has_time()) {
                out.ts_ms = json_time(m, m_time);
                if (out.has_time()) continue;
            }
            add_field(out, key, json_text(m), true);
        }
        return incomplete ? LineResult{LineResult::incomplete, {}} : LineResult::ok();
    }

    void save_history(std::vector<std::size_t>& out) const override {
        if (m_inner) m_inner->save_history(out);
    }
    void load_history(const std::vector<std::size_t>& in, std::size_t& at) const override {
        if (m_inner) m_inner->load_history(in, at);
    }

    TimeContext m_time;
    std::unique_ptr<InnerRecord> m_inner;  // null: envelopes are read as plain records
};

}  // namespace

std::unique_ptr<LineFormat> make_json_format(const TimeContext& time) { return std::make_unique<JsonFormat>(time, true); }
std::unique_ptr<LineFormat> make_plain_json_format(const TimeContext& time) {
    return std::make_unique<JsonFormat>(time, false);
}

}  // namespace logad::parse
