#include <logad/model/detector.hpp>
#include <logad/model/score_memo.hpp>
#include <logad/util/civil_time.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/pipeline/line_preparer.hpp>

#include <logad/error.hpp>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

using featurize::Granularity;
constexpr std::size_t k_batch = 256;
constexpr std::size_t k_max_message = 1000;

std::string clip(const std::string& s) { return s.size() <= k_max_message ? s : s.substr(0, k_max_message) + "..."; }

// A line record names where the line came from: the record's fields (host, app, service.name...),
// the first k_max_record_fields of them, values cut at k_max_field_value bytes. Reuses `out`'s strings.
constexpr std::size_t k_max_record_fields = 16;
constexpr std::size_t k_max_field_value = 256;
void copy_fields(const Record& record, std::vector<Field>& out) {
    const std::size_t n = std::min(record.fields.size(), k_max_record_fields);
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Field& f = record.fields[i];
        out[i].key = f.key;
        // JSON text cut short would not be JSON: it is written as a string then.
        const bool cut = f.value.size() > k_max_field_value;
        out[i].value.assign(f.value, 0, cut ? k_max_field_value : f.value.size());
        if (cut) out[i].value += "...";
        out[i].json = f.json && !cut;
    }
}

}  // namespace

// One granularity: its featurizer feeds rows here; rows are scored (line rows in batches) and
// the ones above the threshold become records with reasons.
class Scorer::PartScorer final : public Sink<featurize::FeatureRow> {
public:
    PartScorer(const PipelineModel& model, const Part& part, const ScorerOptions& options, Sink<ScoreRecord>& out,
               ScorerStats& stats)
        : m_model(model), m_part(part), m_options(options), m_out(out), m_stats(stats), m_memo(*part.model.detector) {
        const auto& t = model.train;
        if (part.per == Granularity::line) {
            auto l = std::make_unique<featurize::LineFeaturizer>(model.space, *this);
            line = l.get();
            featurizer = std::move(l);
        } else if (part.per == Granularity::window) {
            auto w = std::make_unique<featurize::WindowFeaturizer>(model.space, featurize::WindowOptions{t.window_ms, t.slide_ms}, *this);
            window = w.get();
            featurizer = std::move(w);
        } else {
            auto s = std::make_unique<featurize::SessionFeaturizer>(model.space, *model.session_key(),
                                                                    featurize::SessionOptions{t.idle_ms}, *this);
            session = s.get();
            featurizer = std::move(s);
        }
    }

    // The event whose line row comes next: its text is kept only if the row may be written.
    void expect(const Event& e) { m_expected = &e; }
    void note(const Event& e) {
        // Slots are reused batch after batch: no allocation per line once warm.
        if (m_noted == m_info.size()) m_info.emplace_back();
        LineInfo& info = m_info[m_noted++];
        const std::string& m = e.record.message;
        info.message.assign(m, 0, std::min(m.size(), k_max_message));
        if (m.size() > k_max_message) info.message += "...";
        info.template_text = e.template_text;
        info.level = e.record.level;
        if (m_noted > m_fields.size()) m_fields.resize(m_noted);
        copy_fields(e.record, m_fields[m_noted - 1]);
    }
    void push(featurize::FeatureRow& row) override { push_row(row, nullptr); }
    // A line row a LinePreparer made, with its memo key.
    void push_prepared(const PreparedLine& p) { push_row(p.row, &p); }

    void push_row(const featurize::FeatureRow& row, const PreparedLine* prepared) {
        if (m_part.per == Granularity::line) {
            // Most lines score below the threshold, and a line the memo knows needs neither a
            // batch nor a copy of its text to say so; lines that may be written wait their turn.
            if (!m_options.all) {
                const auto known = !prepared         ? m_memo.find(row.values.data(), row.values.size())
                                   : prepared->keyed ? m_memo.find_key(prepared->key, prepared->hash)
                                                     : std::nullopt;
                if (known && *known <= m_part.model.threshold) {
                    ++m_stats.rows;
                    return;
                }
            }
            note(*m_expected);
        }
        if (m_count == m_pending.size()) m_pending.emplace_back();
        m_pending[m_count++] = row;
        if (m_part.per != Granularity::line || m_count >= k_batch) score_pending();
    }
    void finish() override { score_pending(); }

    void score_pending() {
        if (m_count == 0) return;
        const auto width = static_cast<Eigen::Index>(m_pending.front().values.size());
        model::Matrix& x = m_x;
        x.resize(static_cast<Eigen::Index>(m_count), width);
        for (std::size_t r = 0; r < m_count; ++r)
            x.row(static_cast<Eigen::Index>(r)) = Eigen::Map<const Eigen::RowVectorXd>(m_pending[r].values.data(), width);
        const model::Vector scores = m_memo.score(x, m_options.threads);
        const double threshold = m_part.model.threshold;
        model::Matrix contributions;
        bool any = false;
        for (Eigen::Index r = 0; r < scores.size(); ++r) any = any || scores[r] > threshold;
        if (any) contributions = m_part.model.detector->feature_contributions(x);
        for (std::size_t r = 0; r < m_count; ++r) {
            const double s = scores[static_cast<Eigen::Index>(r)];
            const bool anomaly = s > threshold;
            ++m_stats.rows;
            if (m_part.per == Granularity::session) ++m_stats.sessions;
            if (!anomaly && !m_options.all) continue;
            const featurize::FeatureRow& row = m_pending[r];
            m_record = ScoreRecord{};
            m_record.per = std::string(featurize::granularity_name(m_part.per));
            m_record.detector = std::string(m_part.model.detector->algo());
            m_record.score = s;
            m_record.threshold = threshold;
            m_record.anomaly = anomaly;
            m_record.first_line = row.first_line;
            m_record.last_line = row.last_line;
            m_record.start_ms = row.start_ms;
            m_record.end_ms = row.end_ms;
            m_record.key = row.key;
            if (m_part.per == Granularity::line && r < m_noted) {
                m_record.template_id = row.template_id;
                m_record.message = m_info[r].message;
                m_record.template_text = m_info[r].template_text;
                m_record.level = m_info[r].level;
                if (r < m_fields.size()) m_record.fields = m_fields[r];
            }
            if (anomaly) {
                ++m_stats.anomalies;
                std::vector<double> c;
                if (contributions.rows() > 0) {
                    const auto crow = contributions.row(static_cast<Eigen::Index>(r));
                    c.assign(crow.data(), crow.data() + crow.size());
                }
                TopFeature top;
                m_record.reasons = explain_row(m_model, m_part, row, c.empty() ? nullptr : &c, 3, &top);
                m_record.feature = std::move(top.name);
                m_record.slot = top.slot;
                m_record.value = top.value;
            }
            m_out.push(m_record);
        }
        m_count = 0;
        m_noted = 0;
    }

    std::unique_ptr<Sink<Event>> featurizer;
    featurize::LineFeaturizer* line = nullptr;
    featurize::WindowFeaturizer* window = nullptr;
    featurize::SessionFeaturizer* session = nullptr;

private:
    const PipelineModel& m_model;
    const Part& m_part;
    const ScorerOptions& m_options;
    Sink<ScoreRecord>& m_out;
    ScorerStats& m_stats;
    std::vector<featurize::FeatureRow> m_pending;  // the first m_count are pending
    std::size_t m_count = 0;
    struct LineInfo {
        std::string message, template_text;
        Level level = Level::unknown;
    };
    std::vector<LineInfo> m_info;  // of the first m_noted line rows
    std::vector<std::vector<Field>> m_fields;  // and their record's fields (copy_fields)
    std::size_t m_noted = 0;
    const Event* m_expected = nullptr;
    model::Matrix m_x;
    model::ScoreMemo m_memo;  // rows seen before (by the intervals that decide them) cost a lookup
    ScoreRecord m_record;
};

// The stages that cut time into windows and sessions, fed in time order by TimeOrder. The
// session key runs once per event here, and one table of open sessions serves both stages that
// follow sessions: each entry holds the session part's counts beside the sequence signal's
// trace, so a key is looked up once per event and a session closes once for both. What closes
// is handed on in the order the stages would give it: the signals' alerts, then each part's
// rows in part order.
class Scorer::TimeAxis final : public Sink<Event> {
public:
    explicit TimeAxis(Scorer& scorer)
        : m_scorer(scorer), m_signals(*scorer.m_signals), m_counted(session_part(scorer)),
          m_traced(m_signals.wants_keys()), m_keyed(m_traced || m_counted != nullptr),
          // Training writes one idle time to both; the featurizer's when there is a session part.
          m_sessions(m_counted ? scorer.m_model.train.idle_ms : scorer.m_model.baseline.idle_ms,
                     featurize::k_max_open_sessions),
          m_close([this](Sessions::Session& s) { m_closed.push_back(std::move(s)); }) {}
    void push(Event& e) override {
        m_signals.add_windowed(e);
        if (m_keyed) {
            m_scorer.m_model.session_key()->extract(e, m_keys);
            m_scorer.m_stats.dropped_keys += m_keys.dropped;
            m_sessions.advance_to(e.record.ts_ms, m_close);
            for (const std::string& key : m_keys.keys) {
                Open& s = m_sessions.touch(key, e.record.line, m_close);
                if (m_traced) SignalChecker::trace(s.trace, e);
                if (m_counted) m_counted->count(s.counts, e);
            }
        }
        check_closed();
        for (auto& part : m_scorer.m_parts) {
            if (part->window) part->featurizer->push(e);
            if (part->session) emit_closed(*part->session);
        }
        m_closed.clear();
    }
    void advance_to(std::int64_t t) {
        m_signals.advance_windows(t);
        if (m_keyed) m_sessions.advance_to(t, m_close);
        check_closed();
        for (auto& part : m_scorer.m_parts) {
            if (part->window) part->window->advance_to(t);
            if (part->session) emit_closed(*part->session);
        }
        m_closed.clear();
    }
    // The end of the stream: every window and session closes, then every part finishes.
    void close() {
        m_signals.finish_windows();
        m_sessions.close_all(m_close);
        check_closed();
        for (auto& part : m_scorer.m_parts) {
            if (part->session) emit_closed(*part->session);
            part->featurizer->finish();
        }
        m_closed.clear();
    }

private:
    struct Open {
        featurize::SessionCounts counts;  // the session part's
        SessionTrace trace;               // the sequence signal's
    };
    using Sessions = featurize::OpenSessions<Open>;

    static featurize::SessionFeaturizer* session_part(const Scorer& scorer) {
        for (const auto& part : scorer.m_parts)
            if (part->session) return part->session;
        return nullptr;
    }
    void check_closed() {
        if (m_traced)
            for (const Sessions::Session& s : m_closed) m_signals.check_session(s.key, s.state.trace);
    }
    void emit_closed(featurize::SessionFeaturizer& featurizer) {
        for (Sessions::Session& s : m_closed) featurizer.emit(s.key, s.first_line, s.state.counts);
    }

    Scorer& m_scorer;
    SignalChecker& m_signals;
    featurize::SessionFeaturizer* m_counted;  // the session part's featurizer, if there is one
    bool m_traced;  // the sequence signal follows sessions
    bool m_keyed;   // some stage does
    featurize::EventKeys m_keys;
    Sessions m_sessions;
    std::function<void(Sessions::Session&)> m_close;
    std::vector<Sessions::Session> m_closed;  // by the current event or time, in closing order
};

Scorer::Scorer(const PipelineModel& model, ScorerOptions options, Sink<ScoreRecord>& out)
    : m_model(model), m_options(options),
      m_feedback(std::make_unique<FeedbackFilter>(model.feedback, out)),
      m_out(*m_feedback),
      // A private copy that may learn new templates; the model itself stays read-only.
      m_miner(mine::TemplateMiner::from_json(model.miner->to_json())) {
    for (const Part& part : model.parts)
        m_parts.push_back(std::make_unique<PartScorer>(model, part, m_options, m_out, m_stats));
    m_signals = std::make_unique<SignalChecker>(model.baseline, model.space, model.session_key(), [this](Alert& a) {
        ++m_stats.signals;
        ScoreRecord r;
        r.per = a.per;
        r.detector = signal_detector(a.signal);
        r.score = a.severity;
        r.threshold = 1.0;
        r.anomaly = true;
        r.first_line = a.first_line;
        r.last_line = a.last_line;
        r.start_ms = a.start_ms;
        r.end_ms = a.end_ms;
        r.key = a.key;
        r.template_id = a.template_id;
        r.slot = a.slot;
        r.value = a.value;
        if (a.per == "line") {
            r.template_text = m_current->template_text;
            r.message = clip(m_current->record.message);
            r.level = m_current->record.level;
            copy_fields(m_current->record, r.fields);
        }
        r.reasons.push_back(std::move(a.reason));
        // Records come out in input order: score the lines batched before this one first.
        if (a.per == "line") flush();
        m_out.push(r);
    });
    // The line featurizer and the range signals judge the same parameters of each line: read once.
    m_readings = std::make_unique<featurize::EventReadings>(model.space);
    m_signals->share_readings(*m_readings);
    for (auto& part : m_parts)
        if (part->line) part->line->share_readings(*m_readings);
    m_axis = std::make_unique<TimeAxis>(*this);
    m_order = std::make_unique<TimeOrder>(m_options.order, *m_axis);
}

Scorer::~Scorer() = default;

void Scorer::replace_feedback(Feedback feedback) {
    flush();  // records already batched were judged by the verdicts in force when their lines came
    m_feedback->replace(std::move(feedback));
}

void Scorer::push(Record& record) {
    std::swap(m_event.record, record);
    m_miner.learn(m_event);
    push_event(m_event);
}

void Scorer::push_learnt(Event& event) {
    std::swap(m_event, event);
    push_event(m_event);
}

void Scorer::push_event(Event& event) {
    m_readings->next_event();
    ++m_stats.events;
    if (!m_model.space.knows(event.template_id)) ++m_stats.unseen;
    if (m_clock.check(event.record, m_options.horizon)) ++m_stats.clock_jumps;
    note_time(event);
    if (&event != &m_event) m_event = event;  // signals describe the current event
    pass_on(m_event, nullptr);
}

void Scorer::push_prepared(Event& event, PreparedLine& prepared) {
    m_readings->next_event();
    m_readings->take(prepared.params, prepared.fields);
    ++m_stats.events;
    if (!m_model.space.knows(event.template_id)) ++m_stats.unseen;
    if (prepared.jumped) ++m_stats.clock_jumps;  // the preparer moved its time
    note_time(event);
    pass_on(event, &prepared);
}

std::unique_ptr<LinePreparer> Scorer::make_line_preparer() const { return LinePreparer::for_model(m_model, m_options); }

void Scorer::note_time(const Event& event) {
    if (!event.record.has_time()) return;
    m_last_ts = m_last_ts == k_no_time ? event.record.ts_ms : std::max(m_last_ts, event.record.ts_ms);
    m_first_ts = m_first_ts == k_no_time ? event.record.ts_ms : std::min(m_first_ts, event.record.ts_ms);
}

void Scorer::pass_on(Event& event, const PreparedLine* prepared) {
    m_current = &event;  // for line alerts
    if (m_feedback) m_feedback->note_event(event);
    m_signals->add_line(event);
    for (auto& part : m_parts) {
        if (part->window || part->session) continue;
        part->expect(event);
        if (prepared) part->push_prepared(*prepared);
        else part->featurizer->push(event);  // featurizers leave their input intact
    }
    m_current = &m_event;
    // Handed over, not copied: line alerts, the only ones that read the event, were raised
    // above; `event` gets back an earlier event's memory for the next line.
    m_order->push_taken(event);
}

void Scorer::flush() {
    for (auto& part : m_parts) part->score_pending();
}

void Scorer::advance_to(std::int64_t t) {
    const std::int64_t until = m_order->advance_to(t);
    if (until != k_no_time) m_axis->advance_to(until);
}

void Scorer::finish() {
    m_order->finish();  // the events it still holds go to the windows and sessions
    m_axis->close();
    m_out.finish();
}

}  // namespace logad::pipeline
