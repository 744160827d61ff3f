#include <logad/pipeline/score_record.hpp>

#include <logad/util/json_writer.hpp>
#include <nlohmann/json.hpp>

namespace logad::pipeline {

RecordScope scope_of(const ScoreRecord& r) {
    RecordScope s;
    s.per = r.per;
    s.detector = r.detector;
    s.template_id = r.template_id;
    // A session id or a window's position names one occurrence, not what was judged.
    if (r.per != "session") s.key = r.key;
    s.feature = r.feature;
    s.slot = r.slot;
    if (r.has_value()) s.low = s.high = r.value;
    return s;
}

void append_score_json(std::string& out, const ScoreRecord& r) {
    util::JsonObject o(out);
    o.key("per").str(r.per).key("detector").str(r.detector);
    o.key("score").num(r.score).key("threshold").num(r.threshold).key("anomaly").boolean(r.anomaly);
    if (r.per == "line") o.key("line").integer(static_cast<std::int64_t>(r.first_line));
    if (!r.file.empty()) o.key("file").str(r.file);
    o.key("first_line").integer(static_cast<std::int64_t>(r.first_line));
    o.key("last_line").integer(static_cast<std::int64_t>(r.last_line));
    if (r.start_ms != k_no_time) o.key("start").time_ms(r.start_ms);
    if (r.end_ms != k_no_time) o.key("end").time_ms(r.end_ms);
    if (!r.key.empty()) o.key("key").str(r.key);
    if (r.template_id != 0 || !r.template_text.empty()) o.key("template_id").integer(r.template_id);
    if (!r.template_text.empty()) o.key("template").str(r.template_text);
    if (!r.message.empty()) o.key("message").str(r.message);
    if (r.level != Level::unknown) o.key("level").str(level_name(r.level));
    if (!r.fields.empty()) {
        util::JsonObject& f = o.key("fields");
        std::string inner;
        util::JsonObject fields(inner);
        for (const Field& field : r.fields) {
            fields.key(field.key);
            if (field.json) fields.raw(field.value);
            else fields.str(field.value);
        }
        fields.close();
        f.raw(inner);
    }
    o.key("reasons").strings(r.reasons);
    if (!r.feature.empty()) o.key("feature").str(r.feature);
    if (r.slot >= 0) o.key("slot").integer(r.slot + 1);
    if (r.has_value()) o.key("value").num(r.value);
    o.close();
    out.push_back('\n');
}

}  // namespace logad::pipeline
