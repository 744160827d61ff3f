#pragma once
// What `logad score` writes: one NDJSON record per anomaly (or per scored row with --all).
//   per          "line" | "window" | "session"
//   detector     the algorithm that scored the row ("iforest", "ocsvm", "autoencoder"), or
//                "signal:<name>" for a learned signal (new_template, param_range, burst, silence,
//                level_shift, scan, sequence)
//   score        higher is more anomalous; for signals, how far past their bar (1 = at the bar)
//   threshold    the score above which the row is an anomaly (from training data only)
//   anomaly      score > threshold
//   line         per line: the input line
//   file         when several files were scored: the file of the (first) line (line numbers
//                count from 1 in each file, as in `logad parse`; a window that spans two files
//                names the one it started in)
//   first_line, last_line   the input lines covered
//   start, end   RFC 3339 UTC times covered, when known
//   key          the session id (per session), or the component / client a signal names
//   template_id, template, message   per line: what the line said
//   fields       per line: the record's fields ({"host": "web-1", "app": "billing", ...}; the
//                first 16, values cut at 256 bytes), so a line's sender is named
//   reasons      plain words, most important first
//   feature, slot, value   what the record measured, for a verdict scoped to it (feedback.hpp):
//                the detector's column furthest from training (per window or session:
//                "count:<template id>", "level:warn", "events"...), the 1-based parameter
//                position of a param_range signal or of a line's param_out_of_range column, and
//                the value judged (the parameter's value or rate, a burst's count, a share, a
//                client's count, the column's value); each only when there is one
#include <logad/export.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <logad/record.hpp>

namespace logad::pipeline {

struct ScoreRecord {
    std::string per;
    std::string detector;
    double score = 0;
    double threshold = 0;
    bool anomaly = false;
    std::uint64_t first_line = 0, last_line = 0;
    std::int64_t start_ms = k_no_time, end_ms = k_no_time;
    std::string key;
    std::string file;
    std::uint32_t template_id = 0;
    std::string template_text;
    std::string message;
    Level level = Level::unknown;  // of a line record's line, when its format says
    std::vector<Field> fields;  // per line
    std::vector<std::string> reasons;
    std::string feature;
    int slot = -1;  // 0-based parameter position; written 1-based
    double value = std::nan("");
    bool has_value() const noexcept { return std::isfinite(value); }
};

// What a record is about, as precisely as a verdict can name it: the detector, the template or
// key, and the measured quantity with the range of values seen (one record: low == high).
struct RecordScope {
    std::string per, detector;
    std::uint32_t template_id = 0;
    std::string key, feature;
    int slot = -1;
    double low = std::nan(""), high = std::nan("");
    bool ranged() const noexcept { return std::isfinite(low) && std::isfinite(high); }
    bool same_target(const RecordScope& o) const {
        return per == o.per && detector == o.detector && template_id == o.template_id && key == o.key && feature == o.feature &&
               slot == o.slot;
    }
};
RecordScope scope_of(const ScoreRecord& r);

LOGAD_API void append_score_json(std::string& out, const ScoreRecord& r);

}  // namespace logad::pipeline
