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
//   reasons      plain words, most important first
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
    std::vector<std::string> reasons;
};

void append_score_json(std::string& out, const ScoreRecord& r);

}  // namespace logad::pipeline
