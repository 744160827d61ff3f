#include "json_envelopes.hpp"

#include "field_roles.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace logad::parse {
namespace {

bool has_member(const ordered_json& doc, std::string_view key) { return doc.find(std::string(key)) != doc.end(); }

// A member as a field: strings as plain text (like syslog's host or CRI's stream), anything else
// as its JSON text.
void add_envelope_field(Record& out, std::string_view key, const ordered_json& v) {
    if (v.is_string()) add_field(out, key, v.get_ref<const std::string&>());
    else add_field(out, key, json_text(v), true);
}

bool has_field(const Record& r, std::string_view key) {
    for (const Field& f : r.fields)
        if (f.key == key) return true;
    return false;
}

// Source names of the entities, and logad's name for each; the first one found wins.
struct EntityName {
    std::string_view source, logad;
};
constexpr std::array<EntityName, 6> k_ecs_entities = {{{"service.name", "service"},
                                                       {"host.name", "host"},
                                                       {"host.hostname", "host"},
                                                       {"kubernetes.pod.name", "pod"},
                                                       {"kubernetes.container.name", "container"},
                                                       {"container.name", "container"}}};
constexpr std::array<EntityName, 5> k_cloud_logging_entities = {{{"pod_name", "pod"},
                                                                 {"container_name", "container"},
                                                                 {"service_name", "service"},
                                                                 {"function_name", "service"},
                                                                 {"instance_id", "host"}}};
constexpr std::array<EntityName, 4> k_journald_entities = {
    {{"_SYSTEMD_UNIT", "service"}, {"SYSLOG_IDENTIFIER", "app"}, {"_HOSTNAME", "host"}, {"_PID", "pid"}}};

template <std::size_t N>
std::string_view entity_name(const std::array<EntityName, N>& table, std::string_view source) {
    for (const EntityName& e : table)
        if (e.source == source) return e.logad;
    return {};
}

// Adds `v` as the entity field `name`, unless the record already has it (host.name before host.hostname).
void add_entity(Record& out, std::string_view name, const ordered_json& v) {
    if (!has_field(out, name)) add_envelope_field(out, name, v);
}

// An ECS document: nested objects flattened to dotted names (ECS defines {"log":{"level":..}} and
// {"log.level":..} as the same field).
class EcsReader {
public:
    EcsReader(const TimeContext& time, Record& out) : m_time(time), m_out(out) {}
    void read(const ordered_json& object, const std::string& prefix) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
            if (it->is_object() && !it->empty()) {
                read(*it, key);
                continue;
            }
            take(key, *it);
        }
    }
    const ordered_json* message = nullptr;

private:
    void take(const std::string& key, const ordered_json& v) {
        if (key == "message" && v.is_string() && !message) {
            message = &v;
            return;
        }
        if (key == "@timestamp" && !m_out.has_time()) {
            m_out.ts_ms = json_time(v, m_time);
            if (m_out.has_time()) return;
        }
        if (key == "log.level" && m_out.level == Level::unknown) {
            m_out.level = json_level(v);
            if (m_out.level != Level::unknown) return;
        }
        if (const std::string_view entity = entity_name(k_ecs_entities, key); !entity.empty()) {
            if (!has_field(m_out, entity)) {
                add_envelope_field(m_out, entity, v);
                return;
            }
        }
        add_envelope_field(m_out, key, v);
    }
    const TimeContext& m_time;
    Record& m_out;
};

void read_ecs(const ordered_json& source, const TimeContext& time, const InnerRecord& inner, Record& out) {
    EcsReader reader(time, out);
    reader.read(source, {});
    if (reader.message) inner.merge(reader.message->get_ref<const std::string&>(), out);
    else out.message = json_text(source);
}

Envelope read_search_hit(const ordered_json& hit, const TimeContext& time, const InnerRecord& inner, Record& out) {
    for (auto it = hit.begin(); it != hit.end(); ++it) {
        const std::string& k = it.key();
        if (k == "_source" || k == "_score" || k == "sort") continue;
        add_envelope_field(out, k, *it);
    }
    read_ecs(hit["_source"], time, inner, out);
    return Envelope::record;
}

void add_labels(Record& out, const std::string& prefix, const ordered_json& labels, bool entities) {
    if (!labels.is_object()) {
        add_envelope_field(out, prefix, labels);
        return;
    }
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        const std::string_view entity = entities ? entity_name(k_cloud_logging_entities, it.key()) : std::string_view{};
        if (!entity.empty() && !has_field(out, entity)) add_entity(out, entity, *it);
        else add_envelope_field(out, prefix + "." + it.key(), *it);
    }
}

Envelope read_log_entry(const ordered_json& entry, const TimeContext& time, const InnerRecord& inner, Record& out) {
    const ordered_json* text = nullptr;
    const ordered_json* object = nullptr;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const std::string& k = it.key();
        const ordered_json& v = *it;
        if (k == "textPayload" && v.is_string()) text = &v;
        else if (k == "jsonPayload" && v.is_object()) object = &v;
        else if (k == "timestamp" && !out.has_time() && (out.ts_ms = json_time(v, time)) != k_no_time) continue;
        else if (k == "severity" && out.level == Level::unknown && (out.level = json_level(v)) != Level::unknown) continue;
        else if (k == "insertId" || k == "receiveTimestamp") continue;
        else if (k == "resource" && v.is_object()) {
            for (auto r = v.begin(); r != v.end(); ++r) {
                if (r.key() == "labels") add_labels(out, "resource.labels", *r, true);
                else add_envelope_field(out, "resource." + r.key(), *r);
            }
        } else if (k == "labels") add_labels(out, "labels", v, false);
        else if (k == "protoPayload" && v.is_object()) {
            add_envelope_field(out, k, v);
            const std::string_view method = json_string(v, "methodName");
            out.message.assign(method.empty() ? json_string(v, "@type") : method);
        } else add_envelope_field(out, k, v);
    }
    if (text) inner.merge(text->get_ref<const std::string&>(), out);
    else if (object) inner.merge(json_text(*object), out);
    return Envelope::record;
}

Envelope read_cloudwatch_event(const ordered_json& event, const TimeContext& time, const InnerRecord& inner, Record& out) {
    const ordered_json* message = nullptr;
    for (auto it = event.begin(); it != event.end(); ++it) {
        const std::string& k = it.key();
        if (k == "message") message = &*it;
        else if (k == "timestamp" && (out.ts_ms = json_time(*it, time)) != k_no_time) continue;
        else if (k == "eventId" || k == "ingestionTime") continue;
        else if (k == "logStreamName") add_envelope_field(out, "log_stream", *it);
        else if (k == "logGroupName") add_envelope_field(out, "log_group", *it);
        else add_envelope_field(out, k, *it);
    }
    inner.merge(message->get_ref<const std::string&>(), out);
    return Envelope::record;
}

Envelope read_journald(const ordered_json& entry, const TimeContext& time, const InnerRecord& inner, Record& out) {
    const ordered_json* message = nullptr;
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const std::string& k = it.key();
        if (k == "MESSAGE") message = &*it;
        else if (k == "__REALTIME_TIMESTAMP" && (out.ts_ms = json_time(*it, time)) != k_no_time) continue;
        else if (k.compare(0, 2, "__") == 0) continue;
        else if (k == "PRIORITY" && (out.level = json_level(*it)) != Level::unknown) continue;
        else if (const std::string_view entity = entity_name(k_journald_entities, k); !entity.empty()) add_entity(out, entity, *it);
        else add_envelope_field(out, k, *it);
    }
    // journald writes a MESSAGE that is not UTF-8 as an array of bytes: kept as that JSON text.
    if (message->is_string()) inner.merge(message->get_ref<const std::string&>(), out);
    else out.message = json_text(*message);
    return Envelope::record;
}

Envelope read_docker(const ordered_json& line, const TimeContext& time, const InnerRecord& inner, Record& out) {
    std::string_view log;
    for (auto it = line.begin(); it != line.end(); ++it) {
        const std::string& k = it.key();
        if (k == "log") log = it->get_ref<const std::string&>();
        else if (k == "time" && (out.ts_ms = json_time(*it, time)) != k_no_time) continue;
        else add_envelope_field(out, k, *it);
    }
    if (log.empty() || log.back() != '\n') {  // a 16 KiB chunk: the next line continues it
        out.message.assign(log);
        return Envelope::incomplete;
    }
    log.remove_suffix(1);
    if (!log.empty() && log.back() == '\r') log.remove_suffix(1);
    inner.merge(log, out);
    return Envelope::record;
}

// Which envelope members a line has, found in one pass over its members (no lookups by name: this
// runs on every JSON line).
struct EnvelopeMembers {
    bool source = false, search_id = false;                 // _source object; _index or _id
    bool payload = false, entry = false;                    // text/json/protoPayload; logName, insertId, resource
    bool message = false, timestamp = false, event = false; // string message; timestamp; CloudWatch's own members
    bool journal_message = false, realtime = false;         // MESSAGE; __REALTIME_TIMESTAMP
    bool log = false, stream = false;                       // Docker's string log and stream
    bool ecs = false;                                       // ecs.version, dotted or nested
};

EnvelopeMembers envelope_members(const ordered_json& doc) {
    EnvelopeMembers m;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string& k = it.key();
        if (k.empty()) continue;
        const ordered_json& v = *it;
        switch (k[0]) {
            case '_':
                if (k == "_source") m.source = v.is_object();
                else if (k == "_index" || k == "_id") m.search_id = true;
                else if (k == "__REALTIME_TIMESTAMP") m.realtime = true;
                break;
            case 'M': m.journal_message = m.journal_message || k == "MESSAGE"; break;
            case 'e':
                if (k == "eventId") m.event = true;
                else if (k == "ecs.version") m.ecs = true;
                else if (k == "ecs") m.ecs = v.is_object() && has_member(v, "version");
                break;
            case 'i': m.event = m.event || k == "ingestionTime"; m.entry = m.entry || k == "insertId"; break;
            case 'j': m.payload = m.payload || k == "jsonPayload"; break;
            case 'l':
                if (k == "log") m.log = v.is_string();
                else if (k == "logStreamName") m.event = true;
                else if (k == "logName") m.entry = true;
                break;
            case 'm': if (k == "message") m.message = v.is_string(); break;
            case 'p': m.payload = m.payload || k == "protoPayload"; break;
            case 'r': m.entry = m.entry || k == "resource"; break;
            case 's': if (k == "stream") m.stream = v.is_string(); break;
            case 't':
                if (k == "textPayload") m.payload = true;
                else if (k == "timestamp") m.timestamp = true;
                break;
            default: break;
        }
    }
    return m;
}

}  // namespace

Envelope read_json_envelope(const ordered_json& doc, const TimeContext& time, const InnerRecord& inner, Record& out) {
    const EnvelopeMembers m = envelope_members(doc);
    if (m.source && m.search_id) return read_search_hit(doc, time, inner, out);
    if (m.payload && m.entry) return read_log_entry(doc, time, inner, out);
    if (m.message && m.timestamp && m.event) return read_cloudwatch_event(doc, time, inner, out);
    if (m.journal_message && m.realtime) return read_journald(doc, time, inner, out);
    if (m.log && m.stream) return read_docker(doc, time, inner, out);
    if (m.ecs) {
        read_ecs(doc, time, inner, out);
        return Envelope::record;
    }
    return Envelope::none;
}

}  // namespace logad::parse
