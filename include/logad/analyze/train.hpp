#pragma once
// Raw logs in, a model out: `logad train` and `logad train --update` on logs, without printing.
//
// The input is read in the order given ("-" is the caller's stream): raw log lines parsed with
// the request's format and mined, or events written by `logad parse` (told apart by the first
// line, io/input_kind.hpp; a numeric table is refused unless the claim says logs).
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/pipeline/pipeline_model.hpp>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace logad::analyze {

// Told how reading goes, for a progress line (the library draws nothing).
class ReadObserver {
public:
    virtual ~ReadObserver() = default;
    virtual void next_file(const io::ByteSource& /*source*/) {}
    virtual void lines_read(std::uint64_t /*lines in all so far*/) {}
    virtual void fitting(std::size_t /*events*/) {}  // reading is done, the detectors are fitted now
};

// Training input read and mined: the events, and the figures of how the input fitted its format.
struct TrainingInput {
    std::vector<Event> events;
    std::uint64_t lines = 0, bad_events = 0;  // bad: lines of an events input that were no event
    parse::ParseStats parse;
    pipeline::FitProfile profile;  // all but `unseen`, which depends on what the caller compares with
};
// Reads `files`, mining log records with `miner`. `first` (optional) is the first file already
// opened, e.g. stdin after peeking at it. Throws UsageError for a table the claim does not allow.
TrainingInput read_training_input(const std::vector<std::string>& files, io::InputClaim claim,
                                  const pipeline::ParseSettings& parse, mine::TemplateMiner& miner, std::istream& in,
                                  ReadObserver* observer = nullptr, std::unique_ptr<io::ByteSource> first = nullptr);

struct TrainRequest {
    std::vector<std::string> files{"-"};  // read in this order (by their first times when that differs)
    io::InputClaim claim = io::InputClaim::guess;  // logs: never refused as a table
    pipeline::ParseSettings parse;
    pipeline::TrainSettings settings;
    mine::MinerOptions miner;  // for a new miner
    std::string miner_state;   // a `logad parse --state` file: its miner continues (when it exists)
};

struct TrainResult {
    pipeline::PipelineModel model;
    std::vector<pipeline::PartSummary> parts;  // rows, features and threshold per granularity
    std::uint64_t lines = 0, records = 0, bad_events = 0;
    parse::ParseStats parse;
    std::vector<std::string> files;  // as read
    bool files_reordered = false;    // read by their first timestamps (analyze::file_order_note)
};
// Throws UsageError for a bad algorithm or parameter before reading.
LOGAD_API TrainResult train(const TrainRequest& request, std::istream& in, ReadObserver* observer = nullptr,
                  std::unique_ptr<io::ByteSource> first = nullptr);

// `train --update` in memory: the old training logs are not in the model, so every detector and
// baseline is refitted on `files` (the logs that are normal now) and the model's history of
// training events, while the template miner carries over (template ids stay, old templates stay
// known), and so do the parse and featurize settings, the detector, its threshold rule and the
// seed. Lines of open-ended normal verdicts are taught too (pipeline/feedback_lessons.hpp).
struct UpdateRequest {
    std::vector<std::string> files{"-"};  // new normal logs, read as the model reads logs
    int threads = 0;
    std::string model_name;  // the model's file, named in messages
};
struct UpdateResult {
    pipeline::PipelineModel model;  // its feedback: see absorb()
    std::vector<pipeline::PartSummary> parts;
    std::uint64_t lines = 0, records = 0;
    std::size_t new_templates = 0;
    std::size_t taught_lines = 0, taught_verdicts = 0;  // lines of normal verdicts trained on
    std::unordered_map<std::uint64_t, std::vector<Event>> verdict_examples;  // by verdict id
};
// `old` must carry its feedback (PipelineModel::load). Throws InputError when the new logs do not
// fit the model (another kind of log would teach it that anything is normal): nothing changes.
LOGAD_API UpdateResult update(const pipeline::PipelineModel& old, const UpdateRequest& request, std::istream& in,
                    ReadObserver* observer = nullptr);
// Gives the updated model `current` (the verdicts as they are now: some may have been given
// while the update ran; null keeps those of the old model), ids of merged templates retargeted,
// and carries the normal verdicts the refit can hold into it, marked absorbed. Returns how many
// were carried.
LOGAD_API std::size_t absorb(UpdateResult& result, const pipeline::Feedback* current);

}  // namespace logad::analyze
