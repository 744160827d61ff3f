// Normal verdicts' example lines as training events (feedback_lessons.hpp).
#include <logad/pipeline/feedback_lessons.hpp>

#include <logad/mine/template_miner.hpp>

#include <algorithm>
#include <string_view>

namespace logad::pipeline {
namespace {

bool teaches(const VerdictEntry& v) {
    return v.verdict == Verdict::normal && v.state != VerdictState::retired && v.until_ms == k_no_time && v.per == "line" &&
           v.template_id != 0 && !v.examples.empty();
}

}  // namespace

VerdictLessons verdict_lessons(const Feedback& feedback, mine::TemplateMiner& miner, const std::vector<Event>& input) {
    // Copies of each example line in the training data: the update's own input holds some when it
    // is the very log the verdict was given on; lessons add theirs, so several verdicts on one
    // line (a detector's and a parameter's) teach it once.
    std::unordered_map<std::string_view, std::uint64_t> held;
    for (const VerdictEntry& v : feedback.verdicts)
        if (teaches(v))
            for (const VerdictExample& x : v.examples) held.emplace(x.message, 0);
    for (const Event& e : input)
        if (const auto it = held.find(e.record.message); it != held.end()) ++it->second;

    VerdictLessons lessons;
    for (const VerdictEntry& v : feedback.verdicts) {
        if (!teaches(v)) continue;
        std::vector<Event>& examples = lessons.examples[v.id];
        std::uint64_t have = 0;
        for (const VerdictExample& x : v.examples) {
            Event e;
            e.record.message = x.message;
            e.record.level = x.level;
            miner.learn(e);
            examples.push_back(std::move(e));
            have += held[x.message];
        }
        const std::uint64_t seen = std::min<std::uint64_t>(v.silenced + 1, VerdictLessons::k_max_taught);
        if (have >= seen) continue;
        for (std::size_t n = 0; have < seen; ++n, ++have) {
            const Event& e = examples[n % examples.size()];
            lessons.training.push_back(e);
            ++held[v.examples[n % examples.size()].message];
        }
        ++lessons.taught_verdicts;
    }
    return lessons;
}

}  // namespace logad::pipeline
