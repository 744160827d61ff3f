#pragma once
// Events -> feature rows, at three granularities. Each is a stage: push() events, rows go to
// the next Sink, finish() emits what is still open. All read a trained FeatureSpace, and none
// modifies the events it is given, so one event can feed several featurizers.
#include <logad/export.hpp>
#include <logad/featurize/feature_space.hpp>
#include <logad/featurize/open_sessions.hpp>
#include <logad/featurize/param_reader.hpp>
#include <logad/featurize/window_clock.hpp>
#include <logad/stage.hpp>

#include <atomic>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

namespace re2 {
class RE2;
}

namespace logad::featurize {

// One row per event: rarity of its template, levels, message length, time since the previous
// event of the same template, numeric parameters outside their training range, hashed
// template one-hot and hashed TF-IDF of the template's words.
class LOGAD_API LineFeaturizer final : public Sink<Event> {
public:
    LineFeaturizer(const FeatureSpace& space, Sink<FeatureRow>& next);
    void push(Event& event) override;
    void finish() override { m_next.finish(); }

    // The row for one event without emitting it (explanations use the same numbers).
    void featurize(const Event& event, FeatureRow& row);
    // Reads parameters through `readings`, which the caller moves to each event, so stages
    // judging the same line read it once (the scorer: this and the range signals).
    void share_readings(EventReadings& readings) noexcept { m_readings = &readings; }

private:
    // The columns that depend only on the template (rarity, one-hot, TF-IDF), computed once per
    // template text: tokenising every line was a large share of per-line scoring.
    struct TemplateColumns {
        std::string text;
        std::vector<double> values;  // the template's columns; the rest are zero here
    };
    const TemplateColumns& template_columns(const Event& event);

    const FeatureSpace& m_space;
    Sink<FeatureRow>& m_next;
    FeatureRow m_row;
    EventReadings m_own_readings;
    EventReadings* m_readings = &m_own_readings;
    ColumnLayout m_layout;
    Transform m_length_stored, m_gap_stored, m_out_of_range_stored;
    std::unordered_map<std::uint32_t, std::int64_t> m_last_seen;  // template -> last ts
    std::unordered_map<std::uint32_t, TemplateColumns> m_template_columns;
    std::size_t m_template_text_bytes = 0;  // of the texts m_template_columns holds (bounded too)
};

struct WindowOptions {
    std::int64_t window_ms = 60000;
    std::int64_t slide_ms = 0;  // 0 = tumbling (slide = window)
};

// One row per event-time window: events, distinct and never-seen templates, level counts,
// counts per vocabulary template and the out-of-vocabulary count. Windows close when event
// time passes their end, or when advance_to() is told the time (a quiet live stream), so
// silence is scored too.
class LOGAD_API WindowFeaturizer final : public Sink<Event> {
public:
    WindowFeaturizer(const FeatureSpace& space, WindowOptions options, Sink<FeatureRow>& next);
    void push(Event& event) override;
    void advance_to(std::int64_t event_time_ms);  // closes windows ending at or before it
    void finish() override;                       // emits open windows at least half elapsed

    std::uint64_t untimed_events() const noexcept { return m_untimed; }
    std::uint64_t skipped_windows() const noexcept { return m_clock.skipped_windows(); }

private:
    struct Window {
        std::int64_t start = 0;
        std::uint64_t first_line = 0, last_line = 0;
        std::vector<double> values;
        std::vector<std::uint32_t> seen;  // distinct templates, unsorted small set
    };
    void open_until(std::int64_t t);
    void emit_front();
    void add(Window& w, const Event& e);

    const FeatureSpace& m_space;
    WindowClock m_clock;
    Sink<FeatureRow>& m_next;
    std::deque<Window> m_open;  // the clock's open windows, earliest first
    std::int64_t m_last_ts = k_no_time;
    std::uint64_t m_untimed = 0;
    FeatureRow m_row;
    ColumnLayout m_layout;
};

// The session keys of one event, extracted once per event by the stream's SessionKey and
// handed to every stage of the stream that follows sessions (the session featurizer, the
// sequence signal and its learner), so the key regex runs once per event.
struct EventKeys {
    std::vector<std::string> keys;
    std::size_t dropped = 0;  // distinct keys beyond SessionKey::k_max_keys_per_line
};

// Where a session id comes from: a field of the event (a plain name such as `request_id`), or
// an RE2 regex over the message (its first capture group if it has one, else the whole match;
// every distinct match in a line counts, as HDFS lines can name two blocks, up to
// k_max_keys_per_line of them).
class LOGAD_API SessionKey {
public:
    explicit SessionKey(const std::string& spec);  // throws UsageError for a bad regex
    ~SessionKey();
    SessionKey(SessionKey&&) noexcept;
    SessionKey& operator=(SessionKey&&) noexcept;
    static constexpr std::size_t k_max_keys_per_line = 64;
    // Fills `keys` with the event's distinct keys, the first k_max_keys_per_line of them, and
    // returns how many more distinct keys the line held (dropped).
    std::size_t extract(const Event& event, std::vector<std::string>& keys) const;
    void extract(const Event& event, EventKeys& out) const { out.dropped = extract(event, out.keys); }
    const std::string& spec() const noexcept { return m_spec; }
    // Events extracted so far, by every user of this key (relaxed: a count for tests and stats).
    std::uint64_t extractions() const noexcept { return m_extractions->load(std::memory_order_relaxed); }

private:
    std::string m_spec;
    std::string m_field;
    std::unique_ptr<re2::RE2> m_regex;
    std::unique_ptr<std::atomic<std::uint64_t>> m_extractions;
};

// Sessions a stage keeps open at once: beyond this the least recently active one closes early
// (OpenSessions), in every stage that follows sessions.
inline constexpr std::size_t k_max_open_sessions = 100000;

struct SessionOptions {
    std::int64_t idle_ms = 30 * 60 * 1000;
    std::size_t max_open = k_max_open_sessions;
};

// What the session featurizer keeps of an open session.
struct SessionCounts {
    std::int64_t first_ts = k_no_time, last_ts = k_no_time;
    std::uint64_t last_line = 0;
    std::uint64_t events = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> counts;  // column -> count, sparse
    std::uint32_t levels[k_levels] = {};
    std::uint32_t new_templates = 0;
    std::vector<std::uint32_t> seen;
};

// One row per session id: events, duration, distinct and never-seen templates, level counts,
// counts per vocabulary template (as loglizer does) and the out-of-vocabulary count.
class LOGAD_API SessionFeaturizer final : public Sink<Event> {
public:
    SessionFeaturizer(const FeatureSpace& space, const SessionKey& key, SessionOptions options,
                      Sink<FeatureRow>& next);
    void push(Event& event) override;  // extracts the event's keys, then push_keyed
    // An event whose keys the stream already extracted (EventKeys).
    void push_keyed(const Event& event, const EventKeys& keys);
    void advance_to(std::int64_t event_time_ms);  // emits sessions idle since before it
    void finish() override;

    // For a stream that keeps its open sessions in a table it shares with other stages (the
    // scorer: one table for this featurizer and the sequence signal): count an event into its
    // session, and write the row of a session the table closed.
    void count(SessionCounts& s, const Event& event) const;
    void emit(std::string key, std::uint64_t first_line, const SessionCounts& s);

    std::uint64_t evicted() const noexcept { return m_sessions.evicted(); }
    std::uint64_t keyless_events() const noexcept { return m_keyless; }
    std::uint64_t dropped_keys() const noexcept { return m_dropped_keys; }  // beyond the per-line cap

private:
    using Sessions = OpenSessions<SessionCounts>;

    const FeatureSpace& m_space;
    const SessionKey& m_key;
    SessionOptions m_options;
    Sink<FeatureRow>& m_next;
    Sessions m_sessions;
    EventKeys m_keys;
    std::uint64_t m_keyless = 0;
    std::uint64_t m_dropped_keys = 0;
    FeatureRow m_row;
    ColumnLayout m_layout;
};

}  // namespace logad::featurize
