// The reader of `logad score`'s output (score_stream.hpp); the writers are append_score_json
// (score_record.cpp) and append_incident_json (incidents.cpp), whose comments give the shapes.
#include <logad/pipeline/score_stream.hpp>

#include <logad/error.hpp>
#include <logad/util/civil_time.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/json_integer.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

using nlohmann::json;

// Reads the members of one object, naming the object's place and the member in every refusal.
class FieldReader {
public:
    FieldReader(const json& j, std::string_view at) : m_j(j), m_at(at) {}

    const json* find(const char* name) const {
        const auto it = m_j.find(name);
        return it == m_j.end() ? nullptr : &*it;
    }
    [[noreturn]] void refuse(const char* name, const char* expected) const {
        throw InputError(fmt::format("{}: \"{}\" should be {} (is this output of logad score?)", m_at, name, expected));
    }
    void text(const char* name, std::string& to) const {
        if (const json* v = find(name)) {
            if (!v->is_string()) refuse(name, "a string");
            to = v->get<std::string>();
        }
    }
    void number(const char* name, double& to) const {
        if (const json* v = find(name)) {
            if (!v->is_number()) refuse(name, "a number");
            to = v->get<double>();
        }
    }
    template <class T>
    void integer(const char* name, T& to) const {
        if (const json* v = find(name)) {
            try {
                to = util::json_integer<T>(*v);
            } catch (const json::exception&) {
                refuse(name, "a whole number in range");
            }
        }
    }
    void boolean(const char* name, bool& to) const {
        if (const json* v = find(name)) {
            if (!v->is_boolean()) refuse(name, "true or false");
            to = v->get<bool>();
        }
    }
    void strings(const char* name, std::vector<std::string>& to) const {
        if (const json* v = find(name)) {
            if (!v->is_array()) refuse(name, "an array of strings");
            for (const json& s : *v) {
                if (!s.is_string()) refuse(name, "an array of strings");
                to.push_back(s.get<std::string>());
            }
        }
    }
    void time(const char* name, std::int64_t& to) const {
        std::string t;
        text(name, t);
        if (find(name) && !util::parse_rfc3339_ms(t, to)) refuse(name, "an RFC 3339 time");
    }
    void level(const char* name, Level& to) const {
        std::string t;
        text(name, t);
        if (!t.empty()) to = parse_level(t);
    }

private:
    const json& m_j;
    std::string_view m_at;
};

// Scope fields shared by score records and an incident's scopes.
void read_scope_target(const FieldReader& f, std::uint32_t& template_id, std::string& key, std::string& feature, int& slot) {
    f.integer("template_id", template_id);
    f.text("key", key);
    f.text("feature", feature);
    int one_based = 0;
    f.integer("slot", one_based);
    slot = one_based - 1;  // written 1-based, absent = -1
}

ScoreRecord read_record(const FieldReader& f, bool& threshold_given) {
    ScoreRecord r;
    f.number("score", r.score);
    threshold_given = f.find("threshold") != nullptr;
    f.number("threshold", r.threshold);
    r.anomaly = r.score > r.threshold;  // when the line does not say
    f.boolean("anomaly", r.anomaly);
    f.text("per", r.per);
    f.text("detector", r.detector);
    f.integer("line", r.first_line);  // per line: line == first_line
    f.integer("first_line", r.first_line);
    r.last_line = r.first_line;
    f.integer("last_line", r.last_line);
    f.text("file", r.file);
    f.time("start", r.start_ms);
    f.time("end", r.end_ms);
    read_scope_target(f, r.template_id, r.key, r.feature, r.slot);
    f.text("template", r.template_text);
    f.text("message", r.message);
    f.level("level", r.level);
    if (const json* fields = f.find("fields")) {
        if (!fields->is_object()) f.refuse("fields", "an object");
        for (const auto& [k, v] : fields->items()) {
            if (v.is_string()) r.fields.push_back({k, v.get<std::string>()});
            else r.fields.push_back({k, v.dump(-1, ' ', false, json::error_handler_t::replace), true});
        }
    }
    f.strings("reasons", r.reasons);
    if (const json* v = f.find("value"); v && !v->is_null()) f.number("value", r.value);
    return r;
}

ScoreRecord read_table_row(const FieldReader& f, bool& threshold_given) {
    ScoreRecord r;
    f.number("score", r.score);
    threshold_given = f.find("threshold") != nullptr;
    f.number("threshold", r.threshold);
    r.anomaly = r.score > r.threshold;
    f.boolean("anomaly", r.anomaly);
    f.integer("row", r.first_line);
    r.last_line = r.first_line;
    return r;
}

Incident read_incident(const FieldReader& f, std::string_view at) {
    Incident i;
    f.integer("incident", i.id);
    std::string state;
    f.text("state", state);
    if (state != "open" && state != "closed" && f.find("state")) f.refuse("state", "\"open\" or \"closed\"");
    i.state = state == "closed" ? Incident::State::closed : Incident::State::open;
    f.text("kind", i.kind);
    f.text("about", i.about);
    f.strings("detectors", i.detectors);
    f.number("score", i.score);
    f.integer("first_line", i.first_line);
    f.integer("last_line", i.last_line);
    f.text("file", i.file);
    i.last_file = i.file;
    f.text("last_file", i.last_file);
    f.time("start", i.start_ms);
    f.time("end", i.end_ms);
    f.integer("lines", i.lines);
    f.integer("records", i.records);
    f.integer("template_id", i.template_id);
    f.text("template", i.template_text);
    f.text("key", i.key);
    f.strings("reasons", i.reasons);
    f.strings("examples", i.examples);
    f.level("level", i.level);
    if (const json* scopes = f.find("scopes")) {
        if (!scopes->is_array()) f.refuse("scopes", "an array of objects");
        std::size_t n = 0;
        for (const json& s : *scopes) {
            ++n;
            const std::string where = fmt::format("{}: scope {}", at, n);
            if (!s.is_object()) throw InputError(fmt::format("{}: not an object", where));
            const FieldReader sf(s, where);
            RecordScope scope;
            sf.text("per", scope.per);
            sf.text("detector", scope.detector);
            read_scope_target(sf, scope.template_id, scope.key, scope.feature, scope.slot);
            if (sf.find("low") && sf.find("high")) {
                sf.number("low", scope.low);
                sf.number("high", scope.high);
            }
            i.scopes.push_back(std::move(scope));
        }
    }
    return i;
}

}  // namespace

ScoreLine read_score_object(const nlohmann::json& j, std::string_view at) {
    if (!j.is_object()) throw InputError(fmt::format("{}: not a JSON object; expected the NDJSON of logad score", at));
    const FieldReader f(j, at);
    ScoreLine out;
    out.scored = f.find("score") != nullptr;
    std::string per;
    f.text("per", per);
    if (per == "incident") {
        out.kind = ScoreLine::Kind::incident;
        out.incident = read_incident(f, at);
    } else if (f.find("row")) {
        out.kind = ScoreLine::Kind::table_row;
        out.record = read_table_row(f, out.threshold_given);
    } else {
        out.record = read_record(f, out.threshold_given);
    }
    return out;
}

ScoreLine read_score_line(std::string_view line, std::string_view at) {
    // Untrusted input: too deep a nesting is refused before parsing.
    const json j = util::json_too_deep(line) ? json() : json::parse(line, nullptr, false);
    if (!j.is_object()) throw InputError(fmt::format("{}: not a JSON object; expected the NDJSON of logad score", at));
    return read_score_object(j, at);
}

}  // namespace logad::pipeline
