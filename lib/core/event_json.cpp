#include <logad/event_json.hpp>

#include <logad/util/civil_time.hpp>
#include <logad/util/json_writer.hpp>

namespace logad {

void append_event_json(std::string& out, const Event& event, std::string_view file) {
    const Record& r = event.record;
    util::JsonObject o(out);
    o.key("line").integer(static_cast<std::int64_t>(r.line));
    if (r.line_count > 1) o.key("lines").integer(r.line_count);
    if (!file.empty()) o.key("file").str(file);
    if (r.has_time()) {
        o.key("ts");
        out.push_back('"');
        util::append_rfc3339_ms(out, r.ts_ms);
        out.push_back('"');
    }
    if (r.level != Level::unknown) o.key("level").str(level_name(r.level));
    o.key("message").str(r.message);
    o.key("template_id").integer(event.template_id);
    o.key("template").str(event.template_text);
    o.key("params");
    out.push_back('[');
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        if (i) out.push_back(',');
        util::append_json_string(out, event.params[i].value);
    }
    out += "],\"param_kinds\":[";
    for (std::size_t i = 0; i < event.params.size(); ++i) {
        if (i) out.push_back(',');
        out.push_back('"');
        out += param_kind_name(event.params[i].kind);
        out.push_back('"');
    }
    out.push_back(']');
    if (!r.fields.empty()) {
        o.key("fields");
        util::JsonObject f(out);
        for (const Field& field : r.fields) {
            f.key(field.key);
            if (field.json) {
                out += field.value;  // already JSON text (written with invalid UTF-8 replaced)
            } else {
                util::append_json_string(out, field.value);
            }
        }
        f.close();
    }
    o.close();
    out.push_back('\n');
}

}  // namespace logad
