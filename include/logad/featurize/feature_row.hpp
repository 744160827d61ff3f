#pragma once
// A feature row: the numeric vector the detectors see, plus what it covers so a score can be
// traced back to lines, a time window or a session.
//
// NDJSON wire format (written by `logad featurize`, read by `logad train` / `logad score`):
//   per          "line" | "window" | "session"
//   line         per line: the event's input line
//   first_line, last_line   the input lines covered
//   start, end   RFC 3339 UTC times covered (window bounds; session first/last event), when known
//   key          per session: the session id
//   template_id  per line: the event's template
//   features     the numeric vector (its meaning is in the feature space's names)
#include <logad/export.hpp>
#include <logad/record.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace logad::featurize {

enum class Granularity : std::uint8_t { line, window, session };
LOGAD_API std::string_view granularity_name(Granularity g) noexcept;
// "line" | "window" | "session"; throws UsageError otherwise.
LOGAD_API Granularity parse_granularity(std::string_view name);

struct FeatureRow {
    Granularity granularity = Granularity::line;
    std::uint64_t first_line = 0;
    std::uint64_t last_line = 0;
    std::int64_t start_ms = k_no_time;
    std::int64_t end_ms = k_no_time;
    std::string key;
    std::uint32_t template_id = 0;
    std::vector<double> values;
    // Per line, in memory only (not on the wire): the parameter or numeric field furthest outside
    // its training range (0-based position in the params or the record's fields, -1 when none
    // is), its value, and the field's name when it was a field (pointing into the model's
    // FeatureSpace), so a reason can quote numbers.
    std::int32_t worst_param = -1;
    double worst_param_value = 0;
    const std::string* worst_field = nullptr;
};

LOGAD_API void append_row_json(std::string& out, const FeatureRow& row);

}  // namespace logad::featurize
