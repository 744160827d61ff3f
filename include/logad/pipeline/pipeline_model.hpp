#pragma once
// The whole chain learned from raw training logs, kept in one model file: how to parse, the
// template miner, the feature space, the signal baselines, and a detector with its threshold for
// each granularity (line, window, session). `logad train` fits it; `logad score` runs it.
//
// On disk it is a "logad-model" document whose "pipeline" member holds:
//   {"parse": {...format, masks, multiline...}, "miner": {...}, "feature_space": {...},
//    "baseline": {...}, "window_ms": N, "slide_ms": N, "key": "...", "idle_ms": N,
//    "parts": [{"per": "line", "model": {<a logad-model detector document>},
//               "center": [...], "scale": [...], "low": [...], "high": [...], "mean": [...],
//               "rows": N}, ...],
//    "fit": {<input_fit.hpp's training figures>}, "history": {<history.hpp's sample of events>}}
// "fit" and "history" are absent from models of logad before 0.9 (they still load).
#include <logad/export.hpp>
#include <logad/featurize/feature_space.hpp>
#include <logad/featurize/featurizers.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/model/model_file.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/history.hpp>
#include <logad/pipeline/input_fit.hpp>
#include <logad/pipeline/signals.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace logad::pipeline {

struct ParseSettings {
    parse::FormatOptions format;
    bool multiline = true;
    std::vector<mine::UserMask> masks;
    std::size_t max_line = std::size_t(1) << 20;
};

struct TrainSettings {
    // Empty: every granularity that fits (line and window; session too when key is set).
    std::vector<featurize::Granularity> granularities;
    std::int64_t window_ms = 60000;
    std::int64_t slide_ms = 0;
    std::string key;  // session id: a field name or an RE2 regex
    std::int64_t idle_ms = 30 * 60 * 1000;
    std::size_t max_vocab = 200;
    // Disorder in event time that windows and sessions absorb (time_order.hpp); `score` uses the
    // model's unless told otherwise. Absent from older models: the default.
    std::int64_t reorder_ms = 10000;
    std::string algo = "iforest";
    nlohmann::json params = nlohmann::json::object();
    // Alerts should be rare on traffic like the training data: by default a row must score
    // above every training row of its granularity.
    model::ThresholdRule rule{model::ThresholdRule::quantile, 1.0};
    std::uint64_t seed = 42;
    int threads = 1;
};

struct PartSummary {
    featurize::Granularity per = featurize::Granularity::line;
    std::size_t rows = 0, features = 0;
    double threshold = 0;
    double margin = 0;  // of the threshold, above the rule's quantile
};

struct Part {
    featurize::Granularity per = featurize::Granularity::line;
    model::ModelFile model;
    std::vector<double> center, scale;  // per feature median and robust spread, for reasons
    // Per feature training minimum, maximum and mean, and the training row count, so reasons can
    // name the range; empty in older models.
    std::vector<double> low, high, mean;
    std::uint64_t rows = 0;
};

class LOGAD_API PipelineModel {
public:
    ParseSettings parse;
    TrainSettings train;
    std::unique_ptr<mine::TemplateMiner> miner;
    featurize::FeatureSpace space;
    Baseline baseline;
    std::vector<Part> parts;
    // Verdicts from `logad feedback`: the document's "feedback" member, beside "pipeline"
    // (Feedback::from_document reads it; save() writes it back when there are any).
    Feedback feedback;
    // The figures of the training input that later inputs are compared with (input_fit.hpp).
    FitProfile fit_profile;
    // A bounded sample of the training events, for `train --update` (history.hpp).
    TrainingHistory history;

    const featurize::SessionKey* session_key() const { return m_key.get(); }

    // Fits feature space, baselines and detectors on events mined by `miner`.
    // `events` is one input in order; the model keeps a sample of it as its history.
    static PipelineModel fit(ParseSettings parse, TrainSettings train, mine::TemplateMiner miner,
                             const std::vector<Event>& events, std::vector<PartSummary>& summary);
    // Refits `old` on its history and `events` together (mined by `miner`, which continued
    // old's miner): template counts, parameter ranges, baselines, detectors and thresholds all
    // come from the union. Settings, and the history sample grown by `events`, carry over.
    // `taught` are lines normal verdicts teach (feedback_lessons.hpp): fitted on as a segment of
    // their own, kept out of the history (the verdicts teach them again on every update).
    static PipelineModel update(const PipelineModel& old, mine::TemplateMiner miner, const std::vector<Event>& events,
                                int threads, std::vector<PartSummary>& summary, const std::vector<Event>& taught = {});

    nlohmann::json to_json() const;
    static PipelineModel from_json(const nlohmann::json& pipeline, const std::string& origin);
    void save(const std::filesystem::path& path) const;
    // A model file as save() wrote it: the pipeline with its feedback attached. Throws UsageError
    // for a model trained on a numeric table, FormatError for a damaged or too new file.
    static PipelineModel load(const std::filesystem::path& path);
    // The same from a logad-model document already read from `origin` (is_pipeline must hold).
    static PipelineModel from_document(const nlohmann::json& doc, const std::string& origin);
    // True when `doc` (a loaded logad-model document) holds a pipeline, not a plain detector.
    static bool is_pipeline(const nlohmann::json& doc) { return doc.is_object() && doc.contains("pipeline"); }

private:
    // Windows, sessions and baselines never span two segments (inputs apart in time).
    static PipelineModel fit_segments(ParseSettings parse, TrainSettings train, mine::TemplateMiner miner,
                                      const std::vector<const std::vector<Event>*>& segments,
                                      std::vector<PartSummary>& summary);
    std::unique_ptr<featurize::SessionKey> m_key;
};

}  // namespace logad::pipeline
