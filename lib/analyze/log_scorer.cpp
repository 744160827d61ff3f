#include <logad/analyze/log_scorer.hpp>

#include <logad/parse/record_assembler.hpp>
#include <logad/pipeline/line_preparer.hpp>

#include <algorithm>
#include <optional>

namespace logad::analyze {
namespace scoring {  // named, not anonymous: LogScorer::Impl holds one

// Records to the caller, then anomalies to the incident tracker (when there is one).
class RecordFanout final : public Sink<pipeline::ScoreRecord> {
public:
    explicit RecordFanout(Sink<pipeline::ScoreRecord>& records) : m_records(records) {}
    void push(pipeline::ScoreRecord& r) override {
        m_records.push(r);
        if (r.anomaly && tracker) {
            tracker->count_events(stats->events);
            tracker->push(r);
        }
    }
    void finish() override { m_records.finish(); }
    pipeline::IncidentTracker* tracker = nullptr;
    const pipeline::ScorerStats* stats = nullptr;

private:
    Sink<pipeline::ScoreRecord>& m_records;
};

}  // namespace scoring

namespace {

pipeline::ScorerOptions with_tolerance(pipeline::ScorerOptions options, std::int64_t tolerance_ms) {
    options.order.tolerance_ms = tolerance_ms;
    return options;
}

}  // namespace

struct LogScorer::Impl {
    Impl(const pipeline::PipelineModel& model, const ScoreSettings& s, std::int64_t tolerance_ms,
         Sink<pipeline::ScoreRecord>& records, Sink<pipeline::Incident>* incidents)
        : fanout(records),
          scorer(model, with_tolerance(s.scorer, tolerance_ms), fanout),
          format(parse::make_format(model.parse.format)),
          meter(scorer),
          assembler(*format, meter, model.parse.multiline) {
        if (incidents) tracker.emplace(s.incidents, *incidents);
        fanout.tracker = tracker ? &*tracker : nullptr;
        fanout.stats = &scorer.stats();
        events_seen.measured = true;
        learnt_seen.measured = true;
    }
    scoring::RecordFanout fanout;
    std::optional<pipeline::IncidentTracker> tracker;
    pipeline::Scorer scorer;
    std::unique_ptr<parse::LineFormat> format;
    pipeline::RecordMeter meter;
    parse::RecordAssembler assembler;
    pipeline::FitProfile events_seen;  // events of `logad parse` (they skip the meter)
    pipeline::FitProfile learnt_seen;  // records of push_learnt (they skip the meter too)
    parse::ParseStats elsewhere;       // of the lines of push_learnt's records
    mutable parse::ParseStats parsed;  // the assembler's and elsewhere, for parse_stats()
    std::chrono::steady_clock::time_point wall_at_last = std::chrono::steady_clock::now();
    std::int64_t seen_ts = k_no_time;
};

LogScorer::LogScorer(const pipeline::PipelineModel& model, const ScoreSettings& settings,
                     Sink<pipeline::ScoreRecord>& records, Sink<pipeline::Incident>* incidents)
    : m_reorder_ms(settings.reorder_ms >= 0 ? settings.reorder_ms : model.train.reorder_ms) {
    m = std::make_unique<Impl>(model, settings, m_reorder_ms, records, incidents);
}

LogScorer::~LogScorer() = default;

void LogScorer::push_line(std::string_view line, std::uint64_t line_number) {
    m_lines = line_number;
    m->assembler.push_line(line, line_number);
}

void LogScorer::push_event(Event& e) {
    pipeline::FitProfile& seen = m->events_seen;
    seen.lines += e.record.line_count;
    ++seen.records;
    seen.max_record_lines = std::max<std::uint64_t>(seen.max_record_lines, e.record.line_count);
    seen.timed += e.record.has_time();
    seen.leveled += e.record.level != Level::unknown;
    m->scorer.push_event(e);
}

namespace {
// As pipeline::RecordMeter counts, before the scorer's clock horizon (`moved`: it moved the time).
void count_record(pipeline::FitProfile& seen, const Record& r, bool moved = false) {
    ++seen.records;
    seen.max_record_lines = std::max<std::uint64_t>(seen.max_record_lines, r.line_count);
    seen.timed += r.has_time() || moved;
    seen.leveled += r.level != Level::unknown;
}
}  // namespace

void LogScorer::push_learnt(Event& e) {
    count_record(m->learnt_seen, e.record);
    m->scorer.push_learnt(e);
}

void LogScorer::push_prepared(Event& e, pipeline::PreparedLine& prepared) {
    count_record(m->learnt_seen, e.record, prepared.jumped);
    m->scorer.push_prepared(e, prepared);
}

void LogScorer::set_parsed_elsewhere(const parse::ParseStats& stats) { m->elsewhere = stats; }

void LogScorer::end_of_input() {
    m->assembler.release();
    m_lines = 0;
}

void LogScorer::flush() {
    m->assembler.release();
    m->scorer.flush();
}

void LogScorer::tick(std::chrono::steady_clock::time_point now) {
    m->assembler.release();
    pipeline::Scorer& s = m->scorer;
    if (s.stream_time() != k_no_time) {
        if (s.stream_time() != m->seen_ts) {
            m->seen_ts = s.stream_time();
            m->wall_at_last = now;
        }
        const auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(now - m->wall_at_last).count();
        s.advance_to(m->seen_ts + quiet);
        if (m->tracker) m->tracker->advance_to(m->seen_ts + quiet);
    }
    s.flush();
}

void LogScorer::count_events() {
    if (m->tracker) m->tracker->count_events(m->scorer.stats().events);
}

void LogScorer::finish() {
    m->assembler.finish();  // pushes the held record and finishes the scorer
    if (m->tracker) m->tracker->finish();  // closes the incidents still open
}

pipeline::FitProfile LogScorer::fit_seen() const {
    const parse::ParseStats& ps = parse_stats();
    pipeline::FitProfile seen = m->meter.counts();
    seen.measured = true;
    seen.merge(m->learnt_seen);
    seen.merge(m->events_seen);
    seen.lines = ps.lines - ps.empty + m->events_seen.lines;
    seen.unmatched = ps.continuation_lines + ps.unparsed;
    seen.unseen = m->scorer.stats().unseen;
    return seen;
}

const pipeline::ScorerStats& LogScorer::stats() const { return m->scorer.stats(); }
const parse::ParseStats& LogScorer::parse_stats() const {
    m->parsed = m->assembler.stats();
    m->parsed += m->elsewhere;
    return m->parsed;
}
std::uint64_t LogScorer::incidents_opened() const { return m->tracker ? m->tracker->opened() : 0; }
pipeline::Scorer& LogScorer::scorer() { return m->scorer; }

}  // namespace logad::analyze
