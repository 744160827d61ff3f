#include <logad/receive/otlp_logs.hpp>

#include "otlp_protobuf.hpp"

#include <logad/util/civil_time.hpp>
#include <logad/util/json_depth.hpp>

#include <nlohmann/json.hpp>

#include <charconv>

namespace logad::receive {
namespace {

using json = nlohmann::ordered_json;

const json* member(const json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    const auto it = o.find(key);
    return it == o.end() || it->is_null() ? nullptr : &*it;
}

const json& array_member(const json& o, const char* key) {
    static const json k_empty = json::array();
    const json* v = member(o, key);
    return v && v->is_array() ? *v : k_empty;
}

// An int64 as OTLP/JSON writes it: a decimal string, or (from lenient senders) a number.
std::int64_t int64_of(const json* v) {
    if (!v) return 0;
    if (v->is_number_integer() || v->is_number_unsigned()) return v->get<std::int64_t>();
    if (v->is_number_float()) {  // out of range (or NaN) is 0: casting it would be undefined
        const double d = v->get<double>();
        return d > -9.2e18 && d < 9.2e18 ? static_cast<std::int64_t>(d) : 0;
    }
    if (v->is_string()) {
        const auto& s = v->get_ref<const std::string&>();
        std::int64_t n = 0;
        std::from_chars(s.data(), s.data() + s.size(), n);
        return n;
    }
    return 0;
}

json any_value(const json& v) {
    if (const json* s = member(v, "stringValue")) return *s;
    if (const json* b = member(v, "boolValue")) return *b;
    if (const json* i = member(v, "intValue")) return int64_of(i);
    if (const json* d = member(v, "doubleValue")) return *d;
    if (const json* b = member(v, "bytesValue")) return *b;  // base64, as sent
    if (const json* a = member(v, "arrayValue")) {
        json out = json::array();
        for (const json& e : array_member(*a, "values")) out.push_back(any_value(e));
        return out;
    }
    if (const json* kv = member(v, "kvlistValue")) {
        json out = json::object();
        for (const json& e : array_member(*kv, "values"))
            if (const json* k = member(e, "key"); k && k->is_string()) out[k->get<std::string>()] = any_value(e.value("value", json::object()));
        return out;
    }
    return nullptr;
}

void add_attributes(json& line, const json& attributes) {
    for (const json& a : attributes.is_array() ? attributes : json::array()) {
        const json* k = member(a, "key");
        if (!k || !k->is_string()) continue;
        std::string key = k->get<std::string>();
        if (key == "time" || key == "level" || key == "message") key = "attributes." + key;
        const json* v = member(a, "value");
        line[key] = v ? any_value(*v) : json(nullptr);
    }
}

const char* severity_name(std::int64_t n) {
    if (n >= 1 && n <= 4) return "TRACE";
    if (n >= 5 && n <= 8) return "DEBUG";
    if (n >= 9 && n <= 12) return "INFO";
    if (n >= 13 && n <= 16) return "WARN";
    if (n >= 17 && n <= 20) return "ERROR";
    if (n >= 21 && n <= 24) return "FATAL";
    return nullptr;
}

// Turns the records of a request, in the OTLP/JSON shape whichever encoding it came in, into lines.
class LineMapper final : public OtlpLogsVisitor {
public:
    LineMapper(const std::function<void(std::string_view)>& emit, OtlpConversion& result) : m_emit(emit), m_result(result) {}

    void resource(const json* resource) override {
        m_base = json::object();
        if (resource) add_attributes(m_base, array_member(*resource, "attributes"));
    }

    void scope(const json* scope) override {
        m_scoped = m_base;
        if (const json* name = scope ? member(*scope, "name") : nullptr; name && name->is_string())
            m_scoped["otel.scope.name"] = *name;
    }

    void record(const json& rec) override {
        json line = json::object();
        std::int64_t ns = int64_of(member(rec, "timeUnixNano"));
        if (ns == 0) ns = int64_of(member(rec, "observedTimeUnixNano"));
        if (ns > 0) {
            std::string ts;
            util::append_rfc3339_ms(ts, ns / 1'000'000);
            line["time"] = ts;
        }
        const json* text_level = member(rec, "severityText");
        if (text_level && text_level->is_string() && !text_level->get_ref<const std::string&>().empty())
            line["level"] = *text_level;
        else if (const char* name = severity_name(int64_of(member(rec, "severityNumber"))))
            line["level"] = name;
        if (const json* b = member(rec, "body")) line["message"] = any_value(*b);
        for (auto it = m_scoped.begin(); it != m_scoped.end(); ++it) line[it.key()] = it.value();
        add_attributes(line, array_member(rec, "attributes"));
        for (const auto& [from, to] : {std::pair{"traceId", "trace_id"}, std::pair{"spanId", "span_id"}})
            if (const json* id = member(rec, from); id && id->is_string() && !id->get_ref<const std::string&>().empty())
                line[to] = *id;
        m_text = line.dump(-1, ' ', false, json::error_handler_t::replace);
        m_emit(m_text);
        ++m_result.records;
    }

private:
    const std::function<void(std::string_view)>& m_emit;
    OtlpConversion& m_result;
    json m_base = json::object();    // the resource's attributes
    json m_scoped = json::object();  // and the scope's name
    std::string m_text;
};

}  // namespace

OtlpConversion otlp_logs_to_lines(std::string_view body, const std::function<void(std::string_view)>& emit) {
    OtlpConversion r;
    if (util::json_too_deep(body)) {
        r.error = "JSON nested more than " + std::to_string(util::k_max_json_depth) + " levels deep";
        return r;
    }
    const json doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded()) {
        r.error = "the body is not valid JSON (OTLP/HTTP JSON encoding expected)";
        return r;
    }
    const json* resource_logs = member(doc, "resourceLogs");
    if (!doc.is_object() || (resource_logs && !resource_logs->is_array())) {
        r.error = "not an ExportLogsServiceRequest: expected {\"resourceLogs\": [...]}";
        return r;
    }
    LineMapper lines(emit, r);
    for (const json& rl : array_member(doc, "resourceLogs")) {
        lines.resource(member(rl, "resource"));
        for (const json& sl : array_member(rl, "scopeLogs")) {
            lines.scope(member(sl, "scope"));
            for (const json& rec : array_member(sl, "logRecords")) {
                if (rec.is_object())
                    lines.record(rec);
                else
                    ++r.rejected;
            }
        }
    }
    return r;
}

OtlpConversion otlp_protobuf_logs_to_lines(std::string_view body, const std::function<void(std::string_view)>& emit) {
    OtlpConversion r;
    LineMapper lines(emit, r);
    r.error = visit_otlp_protobuf_logs(body, lines);
    return r;
}

}  // namespace logad::receive
