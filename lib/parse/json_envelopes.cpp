#include "json_envelopes.hpp"

#include "field_roles.hpp"

#include <array>

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

bool is_ecs(const ordered_json& doc) {
    if (has_member(doc, "ecs.version")) return true;
    const auto ecs = doc.find("ecs");
    return ecs != doc.end() && ecs->is_object() && has_member(*ecs, "version");
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

bool is_string_member(const ordered_json& doc, std::string_view key) {
    const auto it = doc.find(std::string(key));
    return it != doc.end() && it->is_string();
}

}  // namespace

Envelope read_json_envelope(const ordered_json& doc, const TimeContext& time, const InnerRecord& inner, Record& out) {
    if (const auto source = doc.find("_source");
        source != doc.end() && source->is_object() && (has_member(doc, "_index") || has_member(doc, "_id")))
        return read_search_hit(doc, time, inner, out);
    if ((has_member(doc, "textPayload") || has_member(doc, "jsonPayload") || has_member(doc, "protoPayload")) &&
        (has_member(doc, "logName") || has_member(doc, "insertId") || has_member(doc, "resource")))
        return read_log_entry(doc, time, inner, out);
    if (is_string_member(doc, "message") && has_member(doc, "timestamp") &&
        (has_member(doc, "logStreamName") || has_member(doc, "eventId") || has_member(doc, "ingestionTime")))
        return read_cloudwatch_event(doc, time, inner, out);
    if (has_member(doc, "MESSAGE") && has_member(doc, "__REALTIME_TIMESTAMP")) return read_journald(doc, time, inner, out);
    if (is_string_member(doc, "log") && is_string_member(doc, "stream")) return read_docker(doc, time, inner, out);
    if (is_ecs(doc)) {
        read_ecs(doc, time, inner, out);
        return Envelope::record;
    }
    return Envelope::none;
}

}  // namespace logad::parse
