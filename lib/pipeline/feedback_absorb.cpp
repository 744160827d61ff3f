// `train --update` carries normal verdicts into the refitted model, so they need not live on as
// exceptions (feedback.hpp). Each widening is what the signal would have learned had the marked
// value been in training: the value becomes the range's edge (p99 or p1, and max or min), and
// the signal's own margin past it applies as before.
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/pipeline/signal_kind.hpp>

#include <algorithm>

namespace logad::pipeline {
namespace {

bool absorb_param(PipelineModel& m, const VerdictEntry& v) {
    if (v.template_id == 0 || v.slot < 0 || !v.ranged()) return false;
    const auto it = m.space.params.find(featurize::FeatureSpace::param_key(v.template_id, static_cast<std::size_t>(v.slot)));
    if (it == m.space.params.end() || it->second.judged() == nullptr) return false;
    featurize::ParamRange& r = it->second;
    featurize::Spread& s = r.kind == featurize::SlotKind::counter ? r.rate : r;
    s.p99 = std::max(s.p99, v.high);
    s.max = std::max(s.max, v.high);
    s.p01 = std::min(s.p01, v.low);
    s.min = std::min(s.min, v.low);
    return true;
}

bool absorb_new_template(PipelineModel& m, const VerdictEntry& v) {
    if (v.template_id == 0) return false;
    if (!m.space.knows(v.template_id)) m.space.templates[v.template_id] = {1, v.template_text};
    return true;
}

bool absorb_window(PipelineModel& m, const VerdictEntry& v) {
    const auto signal = signal_of_detector(v.detector);
    if (signal == SignalKind::silence) {
        const auto it = m.baseline.counts.find(v.template_id);
        if (it == m.baseline.counts.end()) return false;
        it->second.p01 = 0;  // it may be absent from a window: no silence bar
        return true;
    }
    if (!v.ranged()) return false;
    if (signal == SignalKind::burst) {
        const auto it = m.baseline.counts.find(v.template_id);
        if (it == m.baseline.counts.end()) return false;
        it->second.max = std::max(it->second.max, v.high + v.margin);
        return true;
    }
    if (signal == SignalKind::level_shift) {
        const auto it = m.baseline.components.find(v.key);
        if (it == m.baseline.components.end()) return false;
        it->second.max = std::max(it->second.max, std::min(1.0, v.high + v.margin));
        return true;
    }
    return false;
}

// The refitted model, verdicts aside, lets every example line of a line detector's verdict pass.
class DetectorCheck final : public Sink<ScoreRecord> {
public:
    explicit DetectorCheck(const VerdictEntry& v) : m_v(v) {}
    void push(ScoreRecord& r) override { m_alerted = m_alerted || (r.anomaly && r.detector == m_v.detector); }
    bool passes(const PipelineModel& m, const std::vector<Event>& examples) {
        Scorer scorer(m, {}, *this);
        scorer.replace_feedback({});  // the model alone is judged
        for (Event e : examples) scorer.push_event(e);
        scorer.finish();
        return !m_alerted;
    }

private:
    const VerdictEntry& m_v;
    bool m_alerted = false;
};

bool absorb_detector(const PipelineModel& m, const VerdictEntry& v, const std::unordered_map<std::uint64_t, std::vector<Event>>& examples) {
    const auto it = examples.find(v.id);
    if (v.per != "line" || it == examples.end() || it->second.empty()) return false;
    return DetectorCheck(v).passes(m, it->second);
}

}  // namespace

std::size_t absorb_verdicts(PipelineModel& m, const std::unordered_map<std::uint64_t, std::vector<Event>>& examples) {
    std::size_t carried = 0;
    for (VerdictEntry& v : m.feedback.verdicts) {
        if (v.verdict != Verdict::normal || v.state == VerdictState::retired || v.until_ms != k_no_time) continue;
        bool done = false;
        const auto signal = signal_of_detector(v.detector);
        if (signal == SignalKind::param_range)
            done = absorb_param(m, v);
        else if (signal == SignalKind::new_template)
            done = absorb_new_template(m, v);
        else if (!is_signal_detector(v.detector))
            done = absorb_detector(m, v, examples);
        else
            done = absorb_window(m, v);
        if (!done) continue;
        v.state = VerdictState::absorbed;
        ++carried;
    }
    return carried;
}

}  // namespace logad::pipeline
