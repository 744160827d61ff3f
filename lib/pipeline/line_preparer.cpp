#include <logad/pipeline/line_preparer.hpp>

namespace logad::pipeline {

std::unique_ptr<LinePreparer> LinePreparer::for_model(const PipelineModel& model, const ScorerOptions& options) {
    const Part* line = nullptr;
    for (const Part& part : model.parts) {
        if (part.per != featurize::Granularity::line) continue;
        if (line) return nullptr;
        line = &part;
    }
    return line ? std::make_unique<LinePreparer>(model, *line, options) : nullptr;
}

LinePreparer::LinePreparer(const PipelineModel& model, const Part& line_part, const ScorerOptions& options)
    : m_horizon(options.horizon), m_all(options.all), m_readings(model.space), m_featurizer(model.space, m_no_rows),
      m_keys(*line_part.model.detector, 1) {
    m_featurizer.share_readings(m_readings);
}

void LinePreparer::prepare(Event& event, PreparedLine& out) {
    // As Scorer::push_event: the clock first, then the row from the event's readings.
    out.jumped = m_clock.check(event.record, m_horizon);
    m_readings.next_event();
    m_featurizer.featurize(event, out.row);
    out.params = m_readings.params(event);
    out.fields = m_readings.fields(event);
    // --all scores every row: the scorer asks the memo nothing before the batch.
    out.keyed = !m_all && m_keys.key_of(out.row.values.data(), out.row.values.size(), out.key, out.hash);
}

}  // namespace logad::pipeline
