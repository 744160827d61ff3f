#include <logad/ops/ecs.hpp>

#include <logad/util/json_writer.hpp>

#include <cmath>

namespace logad::ops {
namespace {

std::string joined_reasons(const std::vector<std::string>& reasons) {
    std::string m;
    for (const std::string& r : reasons) m += (m.empty() ? "" : "; ") + r;
    return m;
}

std::string_view ecs_level(int severity) { return severity <= 47 ? "warning" : "error"; }

// event.*: kind, module, dataset, action, severity and the time covered.
void write_ecs_event(util::JsonObject& o, std::string_view dataset, std::string_view action, int severity,
                     std::int64_t start_ms, std::int64_t end_ms) {
    std::string event;
    util::JsonObject e(event);
    e.key("kind").str("alert").key("module").str("logad").key("dataset").str(dataset).key("action").str(action);
    e.key("severity").integer(severity);
    if (start_ms != k_no_time) e.key("start").time_ms(start_ms);
    if (end_ms != k_no_time) e.key("end").time_ms(end_ms);
    if (start_ms != k_no_time && end_ms != k_no_time && end_ms >= start_ms)
        e.key("duration").integer((end_ms - start_ms) * 1'000'000);
    e.close();
    o.key("event").raw(event);
}

void write_ecs_common(util::JsonObject& o, std::string_view rule, std::string_view per, const std::vector<std::string>& reasons,
                      int severity) {
    std::string r;
    util::JsonObject ro(r);
    ro.key("name").str(rule).key("category").str(per);
    ro.close();
    o.key("rule").raw(r);
    o.key("message").str(joined_reasons(reasons));
    std::string log;
    util::JsonObject lo(log);
    lo.key("level").str(ecs_level(severity));
    lo.close();
    o.key("log").raw(log);
}

void close_ecs(util::JsonObject& o, std::string& out) {
    std::string ecs;
    util::JsonObject eo(ecs);
    eo.key("version").str(k_ecs_version);
    eo.close();
    o.key("ecs").raw(ecs);
    o.close();
    out.push_back('\n');
}

}  // namespace

int ecs_severity(double score, double threshold) noexcept {
    const double ratio = threshold > 0 ? score / threshold : score > threshold ? 10.0 : 1.0;
    if (!std::isfinite(ratio) || ratio >= 10) return 99;
    if (ratio >= 3) return 73;
    if (ratio >= 1.5) return 47;
    return 21;
}

void append_ecs_record(std::string& out, const pipeline::ScoreRecord& r, std::int64_t now_ms) {
    const int severity = ecs_severity(r.score, r.threshold);
    util::JsonObject o(out);
    o.key("@timestamp").time_ms(r.start_ms != k_no_time ? r.start_ms : r.end_ms != k_no_time ? r.end_ms : now_ms);
    write_ecs_event(o, "logad.anomaly", "anomaly", severity, r.start_ms, r.end_ms);
    write_ecs_common(o, r.detector, r.per, r.reasons, severity);

    std::string labels;
    util::JsonObject lo(labels);
    lo.key("per").str(r.per).key("detector").str(r.detector);
    if (r.template_id != 0) lo.key("template_id").str(std::to_string(r.template_id));
    if (!r.key.empty()) lo.key("key").str(r.key);
    lo.close();
    o.key("labels").raw(labels);

    std::string logad;
    util::JsonObject x(logad);
    x.key("score").num(r.score).key("threshold").num(r.threshold);
    if (r.per == "line") x.key("line").integer(static_cast<std::int64_t>(r.first_line));
    x.key("first_line").integer(static_cast<std::int64_t>(r.first_line));
    x.key("last_line").integer(static_cast<std::int64_t>(r.last_line));
    if (!r.file.empty()) x.key("file").str(r.file);
    if (r.template_id != 0) x.key("template_id").integer(r.template_id);
    if (!r.template_text.empty()) x.key("template").str(r.template_text);
    if (!r.message.empty()) x.key("log_message").str(r.message);
    x.key("reasons").strings(r.reasons);
    if (!r.feature.empty()) x.key("feature").str(r.feature);
    if (r.slot >= 0) x.key("slot").integer(r.slot + 1);
    if (r.has_value()) x.key("value").num(r.value);
    x.close();
    o.key("logad").raw(logad);
    close_ecs(o, out);
}

void append_ecs_incident(std::string& out, const pipeline::Incident& i, std::int64_t now_ms) {
    const int severity = ecs_severity(i.score, 1.0);  // an incident's score is already score / threshold
    const bool open = i.state == pipeline::Incident::State::open;
    const std::string rule = i.detectors.empty() ? i.kind : i.detectors.front();
    util::JsonObject o(out);
    o.key("@timestamp").time_ms(i.start_ms != k_no_time ? i.start_ms : i.end_ms != k_no_time ? i.end_ms : now_ms);
    write_ecs_event(o, "logad.incident", open ? "incident-opened" : "incident-closed", severity, i.start_ms, i.end_ms);
    write_ecs_common(o, rule, "incident", i.reasons, severity);

    std::string labels;
    util::JsonObject lo(labels);
    lo.key("per").str("incident").key("detector").str(rule);
    lo.key("incident").str(std::to_string(i.id)).key("state").str(open ? "open" : "closed");
    if (i.template_id != 0) lo.key("template_id").str(std::to_string(i.template_id));
    if (!i.key.empty()) lo.key("key").str(i.key);
    lo.close();
    o.key("labels").raw(labels);

    std::string logad;
    util::JsonObject x(logad);
    x.key("incident").integer(static_cast<std::int64_t>(i.id)).key("state").str(open ? "open" : "closed");
    x.key("kind").str(i.kind).key("about").str(i.about).key("detectors").strings(i.detectors);
    x.key("score").num(i.score);
    x.key("first_line").integer(static_cast<std::int64_t>(i.first_line));
    x.key("last_line").integer(static_cast<std::int64_t>(i.last_line));
    if (!i.file.empty()) x.key("file").str(i.file);
    x.key("lines").integer(static_cast<std::int64_t>(i.lines)).key("records").integer(static_cast<std::int64_t>(i.records));
    if (i.template_id != 0) x.key("template_id").integer(i.template_id);
    if (!i.template_text.empty()) x.key("template").str(i.template_text);
    if (!i.key.empty()) x.key("key").str(i.key);
    x.key("reasons").strings(i.reasons).key("examples").strings(i.examples);
    x.close();
    o.key("logad").raw(logad);
    close_ecs(o, out);
}

}  // namespace logad::ops
