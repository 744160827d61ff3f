#pragma once
// Signals next to the detectors' scores: plain statistical baselines learned from training
// logs, each of which explains itself in words a person can act on. Each signal is a class
// behind Signal (signal.hpp, one file each in lib/pipeline/signals/); its kind is a SignalKind.
//   new_template  a template never seen in training                          (per line)
//   param_range   a measurement, or a counter's rate, far outside its training range (per line)
//   field_range   the same for a numeric field of a structured record (JSON member, logfmt
//                 key: `duration_ms`), by field name; id-like, date and hash fields never (per line)
//   burst         a template far more often in a window than in training     (per window)
//   silence       a template at least twice in 99% of training windows is absent for long
//                 enough that chance cannot explain it                       (per window)
//   level_shift   a component's share of warnings/errors far above training; events that name
//                 no component are judged together; events with an HTTP status are left to
//                 status_share (an access log's level only restates it) (per window)
//   status_share  the share of HTTP 5xx, or of 4xx, responses far above training: over all
//                 requests (key "5xx" or "4xx") and per component (service, host...; key: its
//                 name) when a field names one (per window)
//   scan          one client with far more warn/error events than any client in training (per window)
//   sequence      in a session, a template comes before one it always followed in training (per session)
// A component is what component_of() finds (component, logger, service, app, host, pod...);
// at most k_max_components are learned, the windows of further ones are counted.
#include <logad/featurize/feature_space.hpp>
#include <logad/featurize/featurizers.hpp>
#include <logad/pipeline/signal_kind.hpp>
#include <logad/pipeline/window_tally.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace logad::pipeline {

struct Alert {
    SignalKind signal = SignalKind::new_template;
    std::string per;     // "line" | "window" | "session"
    double severity = 0;  // how far past the bar: 1 is at the bar
    std::string reason;
    std::uint64_t first_line = 0, last_line = 0;
    std::int64_t start_ms = k_no_time, end_ms = k_no_time;
    std::string key;
    std::uint32_t template_id = 0;
    // The quantity judged, for verdicts scoped to it (score_record.hpp): a parameter's 0-based
    // position and value, or a count or share; NaN when the signal measures none.
    int slot = -1;
    double value = std::nan("");
};

struct WindowCounts {
    std::uint32_t present = 0;  // training windows where the template occurred
    double p50 = 0, p99 = 0, max = 0;  // over all training windows, zeros included
    double p01 = -1;                    // same; -1 in models saved before it was learned
};

struct ComponentShare {
    std::uint32_t windows = 0;  // training windows with enough events to judge
    double p99 = 0, max = 0;    // share of warn/error events
};

// HTTP status classes: shares of 4xx and of 5xx among the requests of a window.
struct StatusShare {
    std::uint32_t windows = 0;  // training windows with enough requests to judge
    double p99_4xx = 0, max_4xx = 0;
    double p99_5xx = 0, max_5xx = 0;
};

inline constexpr std::size_t k_max_components = 1000;

struct Precedence {
    std::uint32_t together = 0;  // training sessions with both templates
    std::uint32_t a_first = 0;   // ... where the first's earliest event came first
};

struct Baseline {
    std::int64_t window_ms = 60000;
    std::uint64_t windows = 0;
    std::unordered_map<std::uint32_t, WindowCounts> counts;
    std::unordered_map<std::string, ComponentShare> components;
    // Events that name no component and carry no status, together; windows 0 when not learned
    // (and in models saved before it).
    ComponentShare overall;
    // "" over all requests, else per component; empty in models saved before status classes.
    std::unordered_map<std::string, StatusShare> statuses;
    std::uint64_t components_dropped = 0;  // training (window, component) tallies past k_max_components
    double client_bad_max = 0;  // most warn/error events of one client in one training window
    std::string key;            // session key spec when sequences were learned
    std::int64_t idle_ms = 30 * 60 * 1000;
    std::uint64_t sessions = 0;
    std::unordered_map<std::uint64_t, Precedence> order;  // (a << 32 | b), a < b

    nlohmann::json to_json() const;
    static Baseline from_json(const nlohmann::json& j);  // throws FormatError
};

// Learns a Baseline from training events (bounded memory: per-window tallies are folded into
// per-template count lists; at most k_max_pairs precedence pairs).
class BaselineLearner {
public:
    BaselineLearner(std::int64_t window_ms, const featurize::SessionKey* key, std::int64_t idle_ms);
    void add(const Event& event);  // extracts the event's session keys, then add_keyed
    // An event whose session keys the stream already extracted (none without a key).
    void add_keyed(const Event& event, const featurize::EventKeys& keys);
    // The next event starts another input (e.g. a later day): close the window and sessions
    // open now, so no window spans the gap between the two.
    void end_segment();
    Baseline finish();

private:
    struct Open {
        std::vector<std::uint32_t> order;  // distinct templates by first occurrence
    };
    void close_session(const Open& s);
    void close_window(const Tally& t);

    Baseline m_baseline;
    WindowTally m_tally;
    const featurize::SessionKey* m_key;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> m_present_counts;
    std::unordered_set<std::string> m_known;  // components learned, at most k_max_components
    std::unordered_map<std::string, std::vector<double>> m_shares;
    std::vector<double> m_overall_shares;
    struct StatusSeries {
        std::vector<double> s4xx, s5xx;
    };
    std::unordered_map<std::string, StatusSeries> m_status;
    featurize::OpenSessions<Open> m_sessions;
    featurize::EventKeys m_keys;
};

// A session as the sequence signal sees it: its templates in order of first occurrence.
struct SessionTrace {
    std::vector<std::uint32_t> order;
    std::vector<std::uint64_t> lines;  // first line of each template in `order`
    std::uint64_t first_line = 0, last_line = 0;
    std::int64_t first_ts = k_no_time, last_ts = k_no_time;
};

// What every signal (signal.hpp) reads, and how it raises an alert.
class SignalContext {
public:
    using OnAlert = std::function<void(Alert&)>;
    SignalContext(const Baseline& baseline, const featurize::FeatureSpace& space, OnAlert on_alert);
    const Baseline& baseline() const noexcept { return m_baseline; }
    const featurize::FeatureSpace& space() const noexcept { return m_space; }
    // Measurements' values and counters' rates of the current event.
    featurize::EventReadings& readings() noexcept { return *m_readings; }
    void share_readings(featurize::EventReadings& readings) noexcept { m_readings = &readings; }
    bool owns_readings() const noexcept { return m_readings == &m_own_readings; }
    // A template as reasons name it: its text (cut at 80 bytes) from training or as first seen.
    std::string describe(std::uint32_t template_id) const;
    void note_new_template(const Event& e);  // remembers a never-seen template's text for describe()
    const std::string& window_span() const noexcept { return m_window_span; }  // the window length in words: "60 s"
    // A fresh alert over a line or a window; fill in its reason, key, value, then raise() it.
    Alert& line_alert(SignalKind kind, double severity, const Event& e);
    Alert& window_alert(SignalKind kind, double severity, const Tally& t);
    Alert& session_alert(SignalKind kind, double severity, const std::string& key, const SessionTrace& s);
    void raise() { m_on_alert(m_alert); }

private:
    const Baseline& m_baseline;
    const featurize::FeatureSpace& m_space;
    featurize::EventReadings m_own_readings;
    featurize::EventReadings* m_readings = &m_own_readings;
    OnAlert m_on_alert;
    std::string m_window_span;  // written once: window signals quote it in every reason
    Alert m_alert;
    std::unordered_map<std::uint32_t, std::string> m_new_texts;  // never-seen templates, as describe() gives them
};

class Signal;

// Checks scored traffic against a Baseline and the feature space with every signal
// (make_signal for each SignalKind, asked in that order); alerts go to the callback. It keeps
// the windows (WindowTally) and the open sessions the signals judge.
class SignalChecker {
public:
    using OnAlert = SignalContext::OnAlert;
    SignalChecker(const Baseline& baseline, const featurize::FeatureSpace& space, const featurize::SessionKey* key,
                  OnAlert on_alert);
    ~SignalChecker();
    void add(const Event& event) {  // add_line and add_timed
        add_line(event);
        add_timed(event);
    }
    void add_line(const Event& event);   // the per-line signals: at once, in input order
    void add_timed(const Event& event);  // windows and sessions: in time order (TimeOrder)
    // add_timed for an event whose session keys the stream already extracted.
    void add_timed_keyed(const Event& event, const featurize::EventKeys& keys);
    // Reads parameters through `readings`, which the caller moves to each event (the scorer
    // shares them with its line featurizer); by default the checker keeps its own.
    void share_readings(featurize::EventReadings& readings) noexcept { m_context.share_readings(readings); }
    // Whether add_timed_keyed needs the event's keys: a key is set and sequences were learned.
    bool wants_keys() const noexcept { return m_key != nullptr && !m_baseline.order.empty(); }
    void advance_to(std::int64_t t);  // a quiet stream: close windows and idle sessions
    void finish();

    // For a stream that keeps its open sessions in a table it shares with other stages (the
    // scorer: one table for the sequence signal and the session featurizer): the windows alone,
    // an event added to its session's trace, and the check of a session the table closed.
    void add_windowed(const Event& event) { m_tally.add(event); }
    void advance_windows(std::int64_t t);
    void finish_windows();
    static void trace(SessionTrace& s, const Event& event);
    void check_session(const std::string& key, const SessionTrace& s);
    std::uint64_t dropped_keys() const noexcept { return m_dropped_keys; }  // beyond SessionKey's per-line cap

private:
    void check_window(const Tally& t);

    const Baseline& m_baseline;
    const featurize::SessionKey* m_key;
    SignalContext m_context;
    std::vector<std::unique_ptr<Signal>> m_lines, m_windows, m_sessions_signals;  // by granularity, in kind order
    WindowTally m_tally;
    using Sessions = featurize::OpenSessions<SessionTrace>;
    Sessions m_sessions;
    featurize::EventKeys m_keys;
    std::uint64_t m_dropped_keys = 0;
};

}  // namespace logad::pipeline
