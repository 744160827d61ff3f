#include <logad/featurize/feature_row.hpp>

#include <logad/error.hpp>
#include <logad/util/json_writer.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace logad::featurize {

std::string_view granularity_name(Granularity g) noexcept {
    switch (g) {
        case Granularity::line: return "line";
        case Granularity::window: return "window";
        case Granularity::session: return "session";
    }
    return "line";
}

Granularity parse_granularity(std::string_view name) {
    if (name == "line") return Granularity::line;
    if (name == "window") return Granularity::window;
    if (name == "session") return Granularity::session;
    throw UsageError(fmt::format("unknown granularity '{}'; use line, window or session", name));
}

void append_row_json(std::string& out, const FeatureRow& row) {
    util::JsonObject o(out);
    o.key("per").str(granularity_name(row.granularity));
    if (row.granularity == Granularity::line) {
        o.key("line").integer(static_cast<std::int64_t>(row.first_line));
        o.key("template_id").integer(row.template_id);
    } else {
        o.key("first_line").integer(static_cast<std::int64_t>(row.first_line));
        o.key("last_line").integer(static_cast<std::int64_t>(row.last_line));
    }
    if (row.start_ms != k_no_time) o.key("start").time_ms(row.start_ms);
    if (row.end_ms != k_no_time) o.key("end").time_ms(row.end_ms);
    if (row.granularity == Granularity::session) o.key("key").str(row.key);
    o.key("features");
    out.push_back('[');
    for (std::size_t i = 0; i < row.values.size(); ++i) {
        if (i) out.push_back(',');
        util::append_json_number(out, row.values[i]);
    }
    out.push_back(']');
    o.close();
    out.push_back('\n');
}

}  // namespace logad::featurize
