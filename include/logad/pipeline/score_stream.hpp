#pragma once
// Reading back what `logad score` writes, one NDJSON line at a time, so every consumer (eval,
// report, feedback) reads the stream through one owner of its shape:
//   score records     score_record.hpp (append_score_json); announced by `per` (line, window,
//                     session) and `detector`
//   incident records  incidents.hpp (append_incident_json); announced by "per": "incident"
//   table rows        what a model trained on a numeric table writes:
//                     {"row": N, "score": S, "threshold": T, "anomaly": B}; announced by `row`
//                     (the only record with it), read as a score record of that row
// Fields the writers leave out keep their defaults; a field of the wrong type is refused with
// an InputError naming the place and the field, never read as a default.
#include <logad/export.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace logad::pipeline {

struct ScoreLine {
    enum class Kind : std::uint8_t { record, incident, table_row };
    Kind kind = Kind::record;
    ScoreRecord record;  // record and table_row (first_line = last_line = the row)
    Incident incident;   // incident
    bool scored = false;           // whether the line has a score (a record pasted by hand may not)
    bool threshold_given = false;  // records: whether the line named its threshold
};

// One line of the stream. `at` names the place in messages ("scores.ndjson:12"). Throws
// InputError when the line is not a JSON object or has a field of the wrong type.
LOGAD_API ScoreLine read_score_line(std::string_view line, std::string_view at);

// The same on a parsed object (feedback reads one record a person pasted). Named apart: a string
// converts to both a string_view and a json.
LOGAD_API ScoreLine read_score_object(const nlohmann::json& j, std::string_view at);

}  // namespace logad::pipeline
