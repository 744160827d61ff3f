#pragma once
// `logad train` and `logad train --update` on logs as people see them: analyze::train and
// analyze::update do the work; the progress line, warnings (too few records, a session key that
// matched nothing) and the summary of what was fitted go to `err`. The model is saved to the
// file named (atomically).
#include <logad/export.hpp>
#include <logad/analyze/train.hpp>
#include <logad/io/input.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace logad::present {

struct TrainShown {
    std::string output;     // the model file to write
    bool quiet = false;     // no summary (warnings still come)
    bool progress = false;  // draw a progress line on stderr (a person is watching it)
};
// Trains on request.files and saves the model to shown.output. `first` (optional) is the first
// file already opened, e.g. stdin after peeking at it.
LOGAD_API analyze::TrainResult train_logs(const analyze::TrainRequest& request, const TrainShown& shown, std::istream& in,
                                          std::ostream& err, std::unique_ptr<io::ByteSource> first = nullptr);

// `logad train --update`: the model at `model` refitted on new normal logs (analyze::update) and
// saved, with the verdicts its file holds by then, to `output` (empty: over `model`).
struct UpdateShown {
    std::string model;
    std::string output;
    std::vector<std::string> files;  // new normal logs; none = stdin
    int threads = 0;
    bool quiet = false;
};
LOGAD_API void update_logs(const UpdateShown& request, std::istream& in, std::ostream& err);

// The "logad train: line ... rows x ... features" lines and the closing "saved OUTPUT" line.
LOGAD_API void print_fit_summary(const pipeline::PipelineModel& m, const std::vector<pipeline::PartSummary>& summary,
                                 const std::string& output, double seconds, std::ostream& err);

}  // namespace logad::present
