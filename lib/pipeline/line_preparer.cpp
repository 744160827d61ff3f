#include <logad/pipeline/line_preparer.hpp>

namespace logad::pipeline {

std::unique_ptr<LinePreparer> LinePreparer::for_model(const PipelineModel& model, const ScorerOptions& options) {
    const Part* line = nullptr;
    for (const Part& part : model.parts) {
        if (part.per != featurize::Granularity::line) continue;
        if (line) return nullptr;
        line = &part;
    }
    return line ? std::make_unique<LinePreparer>(model, options) : nullptr;
}

LinePreparer::LinePreparer(const PipelineModel& model, const ScorerOptions& options)
    : m_model(model), m_horizon(options.horizon), m_all(options.all), m_readings(model.space),
      m_featurizer(model.space, m_no_rows) {
    m_featurizer.share_readings(m_readings);
}

std::unique_ptr<LineKeys> LinePreparer::make_keys() const { return std::make_unique<LineKeys>(m_model, m_all); }

void LinePreparer::prepare(Event& event, PreparedLine& out) {
    // As Scorer::push_event: the clock first, then the row from the event's readings.
    out.jumped = m_clock.check(event.record, m_horizon);
    m_readings.next_event();
    m_featurizer.featurize(event, out.row);
    m_readings.give(event, out.params, out.fields);
    out.keyed = false;  // until LineKeys::make
}

LineKeys::LineKeys(const PipelineModel& model, bool all) : m_all(all) {
    for (const Part& part : model.parts)
        if (part.per == featurize::Granularity::line) m_memo = std::make_unique<model::ScoreMemo>(*part.model.detector, 1);
}

void LineKeys::make(PreparedLine& line) {
    // --all scores every row: the scorer asks the memo nothing before the batch.
    line.keyed = !m_all && m_memo && m_memo->key_of(line.row.values.data(), line.row.values.size(), line.key, line.hash);
}

}  // namespace logad::pipeline
