#pragma once
// `logad featurize`: events (NDJSON of `logad parse`) in, feature rows (NDJSON,
// featurize/feature_row.hpp) out. The first output line is the header that announces them and
// carries the feature space, fitted on the input itself (featurize/feature_header.hpp), so the
// events are kept until the end. Lines that are no event are skipped and counted.
#include <logad/export.hpp>
#include <logad/featurize/feature_row.hpp>
#include <logad/featurize/featurizers.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::analyze {

struct FeaturizeRequest {
    std::vector<std::string> files{"-"};  // "-" is the caller's stream
    featurize::Granularity per = featurize::Granularity::window;
    featurize::WindowOptions window;
    std::string key;  // the session key (a field name or an RE2 regex); needed per session
    featurize::SessionOptions session;
    std::size_t max_vocab = 200;  // template columns in window and session rows
};

struct FeaturizeRun {
    std::uint64_t events = 0, skipped = 0, rows = 0;
    std::size_t templates = 0, vocab = 0, width = 0;  // of the fitted space; width: features per row
    std::string first_skipped;  // FILE:LINE: why, of the first line skipped
};

// Throws UsageError for a session granularity without a key, InputError when the input holds
// no event (saying what it holds instead, e.g. a numeric table).
LOGAD_API FeaturizeRun featurize_events(const FeaturizeRequest& request, std::istream& in, std::ostream& out);

}  // namespace logad::analyze
