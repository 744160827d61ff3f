#pragma once
// The first line of a feature-row stream (`logad featurize`), which announces the stream and
// carries the fitted feature space so `logad train` can keep it in the model:
//   {"feature_space": {...}, "names": [...], "per": "line" | "window" | "session",
//    per window: "window_ms", "slide_ms"; per session: "key" (as given), "idle_ms"}
// The rows that follow are feature_row.hpp's. Readers: io's TableReader takes the column names
// from `names` and keeps the line for train; io::classify_input tells the stream by it.
#include <logad/export.hpp>
#include <logad/featurize/feature_row.hpp>

#include <string>
#include <string_view>

namespace logad::featurize {

class FeatureSpace;
struct WindowOptions;
struct SessionOptions;

// The header line, without its newline. `window` is read per window, `key` and `session` per
// session.
LOGAD_API std::string feature_header_json(const FeatureSpace& space, Granularity per, const WindowOptions& window, std::string_view key,
                                const SessionOptions& session);

}  // namespace logad::featurize
