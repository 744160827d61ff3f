#pragma once
// Delivers alerts from a background thread so scoring never waits on the network.
//
// offer() (scoring thread) only takes a mutex: it deduplicates (an alert with the same identity
// within the cool-down is counted, not sent again), and queues; a full queue drops and counts.
// The thread groups what arrives within `group_ms` into one message, keeps to a rate limit
// (a token bucket of `max_per_minute` posts), and retries failed posts with exponential backoff
// (connection errors, timeouts, 408, 429, 5xx), dropping and counting after `max_attempts`.
//
// Alertmanager: an incident's alert stays active until the incident closes; a record's until
// `cooldown_ms` after its latest occurrence; the
// active set is posted when it gains an alert and re-sent every `resend_ms` (Alertmanager
// resolves an alert whose endsAt passes without news), and an alert that goes quiet is posted
// once more with endsAt = now, which resolves it.
//
// finish() gives the thread `drain_ms` to deliver what is queued, then drops the rest (counted).
#include <logad/ops/alert.hpp>
#include <logad/ops/http_post.hpp>
#include <logad/ops/metrics.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace logad::ops {

enum class AlertFormat { slack, alertmanager };

struct AlertOptions {
    std::string url;  // Alertmanager: its base URL; /api/v2/alerts is added when missing
    AlertFormat format = AlertFormat::slack;
    std::int64_t cooldown_ms = 5 * 60 * 1000;
    int max_per_minute = 20;
    std::size_t queue_capacity = 1000;
    std::int64_t group_ms = 1000;
    int max_attempts = 5;
    std::int64_t backoff_ms = 500;  // first retry; doubles, at most 30 s
    std::int64_t timeout_ms = 5000;
    std::int64_t resend_ms = 60 * 1000;
    std::int64_t drain_ms = 3000;
    std::string instance;  // host name shown in messages and as a label
};

struct AlertStats {
    std::uint64_t sent = 0;          // alerts delivered
    std::uint64_t posts = 0;         // successful requests (Alertmanager re-sends included)
    std::uint64_t deduplicated = 0;  // repeats within the cool-down
    std::uint64_t dropped_queue_full = 0;
    std::uint64_t dropped_failed = 0;  // gave up after retries, refused, or left at finish
    std::uint64_t failed_attempts = 0;
};

class AlertDispatcher {
public:
    // Throws UsageError when the URL is not http(s). Counters go to `metrics` with a
    // destination label ("webhook" or "alertmanager").
    AlertDispatcher(AlertOptions options, Registry& metrics);
    ~AlertDispatcher();
    AlertDispatcher(const AlertDispatcher&) = delete;
    AlertDispatcher& operator=(const AlertDispatcher&) = delete;

    void offer(const pipeline::ScoreRecord& record);
    // An incident alerts once when it opens; its closing resolves the Alertmanager alert.
    void offer(const pipeline::Incident& incident);
    void finish();

    AlertStats stats() const;
    std::vector<std::string> take_warnings();  // new problems since the last call, secrets redacted
    const std::string& destination() const noexcept { return m_redacted; }  // safe to print

private:
    using Clock = std::chrono::steady_clock;
    void enqueue(Alert a);
    void run();
    bool prepare_post(Clock::time_point now, std::string& body, std::uint64_t& new_alerts);
    Clock::time_point next_wake(Clock::time_point now) const;
    bool has_token(Clock::time_point now);
    void warn(const std::string& text);

    AlertOptions m_o;
    std::string m_redacted;
    HttpPoster m_poster;
    Counter& m_sent;
    Counter& m_posts;
    Counter& m_deduplicated;
    Counter& m_dropped_full;
    Counter& m_dropped_failed;
    Counter& m_failed_attempts;

    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<Alert> m_pending;                      // Slack: waiting to be sent
    std::map<std::string, Clock::time_point> m_last;  // Slack: when each identity was queued
    std::map<std::string, Alert> m_active;            // Alertmanager: active alerts by identity
    std::uint64_t m_new_active = 0;                   // Alertmanager: not posted yet
    std::uint64_t m_suppressed = 0;                   // repeats since the last message
    Clock::time_point m_first_pending{};
    Clock::time_point m_next_resend{};
    double m_tokens = 0;
    Clock::time_point m_tokens_at{};
    bool m_stopping = false;
    Clock::time_point m_deadline{};
    std::vector<std::string> m_warnings;
    Clock::time_point m_last_warning{};
    std::uint64_t m_unreported_failures = 0;
    std::thread m_thread;
};

}  // namespace logad::ops
