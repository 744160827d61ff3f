#include <logad/analyze/log_input.hpp>
#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/feedback_lessons.hpp>
#include <logad/pipeline/input_fit.hpp>

#include <fmt/core.h>

#include <set>

namespace logad::analyze {

UpdateResult update(const pipeline::PipelineModel& old, const UpdateRequest& r, std::istream& in, ReadObserver* observer) {
    // The new logs are read as the model reads logs, and mined by the model's miner continued.
    const std::vector<std::string> files = r.files.empty() ? std::vector<std::string>{"-"} : r.files;
    mine::TemplateMiner miner = mine::TemplateMiner::from_json(old.miner->to_json());
    TrainingInput input = read_training_input(files, io::InputClaim::logs, old.parse, miner, in, observer);

    // Logs of another kind would teach the model that anything is normal: refuse them.
    std::set<std::uint32_t> fresh;
    for (const Event& e : input.events) {
        if (old.space.knows(e.template_id)) continue;
        ++input.profile.unseen;
        fresh.insert(e.template_id);
    }
    const std::string inputs = files.size() == 1 ? (files[0] == "-" ? "stdin" : files[0]) : "the input";
    if (const std::string why = pipeline::misfit(old.fit_profile, input.profile, format_text(old.parse.format)); !why.empty())
        throw InputError(fmt::format("{} does not fit the model {}: {}; the model is unchanged. If this is another "
                                     "kind of log, train a new model on it: logad train -o NEW.json LOG",
                                     inputs, r.model_name, why));

    // Lines normal verdicts were given on, for templates the training data barely holds.
    pipeline::VerdictLessons lessons = pipeline::verdict_lessons(old.feedback, miner, input.events);
    mine::refresh_merged(miner, input.events);  // templates the examples generalised
    mine::refresh_merged(miner, lessons.training);
    for (auto& [id, examples] : lessons.examples) mine::refresh_merged(miner, examples);

    if (observer) observer->fitting(input.events.size() + old.history.events());
    UpdateResult result;
    result.model = pipeline::PipelineModel::update(old, std::move(miner), input.events, r.threads, result.parts, lessons.training);
    input.profile.unseen = fresh.size();  // as training counts it: each new template once
    result.model.fit_profile.merge(input.profile);
    result.lines = input.lines;
    result.records = input.events.size();
    result.new_templates = fresh.size();
    result.taught_lines = lessons.training.size();
    result.taught_verdicts = lessons.taught_verdicts;
    result.verdict_examples = std::move(lessons.examples);
    return result;
}

std::size_t absorb(UpdateResult& result, const pipeline::Feedback* current) {
    pipeline::PipelineModel& m = result.model;
    if (!current) return pipeline::absorb_verdicts(m, result.verdict_examples);
    m.feedback = *current;
    m.feedback.retarget([&](std::uint32_t id) { return m.miner->resolve(id); });
    return pipeline::absorb_verdicts(m, result.verdict_examples);
}

}  // namespace logad::analyze
