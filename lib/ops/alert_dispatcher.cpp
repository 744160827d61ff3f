#include <logad/util/civil_time.hpp>
#include <logad/ops/alert_dispatcher.hpp>

#include <logad/ops/url.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace logad::ops {
namespace {

constexpr std::int64_t k_max_backoff_ms = 30000;
constexpr std::size_t k_max_warnings = 100;

std::string with_api_path(std::string url) {
    const UrlParts p = split_url(url, "--alertmanager");
    std::string path = p.rest.substr(0, p.rest.find_first_of("?#"));
    if (path.size() >= 14 && path.compare(path.size() - 14, 14, "/api/v2/alerts") == 0) return url;
    const std::string query = p.rest.substr(path.size());
    while (!path.empty() && path.back() == '/') path.pop_back();
    const std::string auth = p.userinfo.empty() ? "" : p.userinfo + "@";
    return p.scheme + "://" + auth + p.host + path + "/api/v2/alerts" + query;
}

const char* label_of(AlertFormat f) { return f == AlertFormat::slack ? "webhook" : "alertmanager"; }

}  // namespace

AlertDispatcher::AlertDispatcher(AlertOptions options, Registry& metrics)
    : m_o(std::move(options)),
      m_redacted((split_url(m_o.url, m_o.format == AlertFormat::slack ? "--alert-webhook" : "--alertmanager"),
                  redact_url(m_o.url))),
      m_poster(m_o.format == AlertFormat::alertmanager ? with_api_path(m_o.url) : m_o.url),
      m_sent(metrics.counter("logad_alerts_sent_total", "Alerts delivered.", {{"destination", label_of(m_o.format)}})),
      m_posts(metrics.counter("logad_alert_posts_total", "Successful alert requests, Alertmanager re-sends included.",
                              {{"destination", label_of(m_o.format)}})),
      m_deduplicated(metrics.counter("logad_alerts_deduplicated_total",
                                     "Alerts not sent again because the same one was sent within the cool-down.",
                                     {{"destination", label_of(m_o.format)}})),
      m_dropped_full(metrics.counter("logad_alerts_dropped_total",
                                     "Alerts dropped: queue full, or delivery failed after retries.",
                                     {{"destination", label_of(m_o.format)}, {"reason", "queue_full"}})),
      m_dropped_failed(metrics.counter("logad_alerts_dropped_total",
                                       "Alerts dropped: queue full, or delivery failed after retries.",
                                       {{"destination", label_of(m_o.format)}, {"reason", "failed"}})),
      m_failed_attempts(metrics.counter("logad_alert_post_failures_total",
                                        "Alert requests that failed (each retry counts).",
                                        {{"destination", label_of(m_o.format)}})) {
    m_o.max_per_minute = std::max(m_o.max_per_minute, 1);
    m_o.max_attempts = std::max(m_o.max_attempts, 1);
    m_tokens = m_o.max_per_minute;
    m_tokens_at = Clock::now();
    m_thread = std::thread([this] { run(); });
}

AlertDispatcher::~AlertDispatcher() { finish(); }

void AlertDispatcher::offer(const pipeline::ScoreRecord& record) { enqueue(alert_from_record(record, util::wall_clock_ms())); }

void AlertDispatcher::offer(const pipeline::Incident& incident) {
    if (incident.state == pipeline::Incident::State::open) return enqueue(alert_from_incident(incident, util::wall_clock_ms()));
    if (m_o.format != AlertFormat::alertmanager) return;
    const Alert closed = alert_from_incident(incident, util::wall_clock_ms());
    {
        std::lock_guard lock(m_mu);
        const auto it = m_active.find(closed.key);
        if (it == m_active.end()) return;
        it->second.held = false;
        it->second.occurrences = closed.occurrences;
        it->second.last_seen_ms = closed.last_seen_ms - m_o.cooldown_ms;  // resolved at the next post
    }
    m_cv.notify_one();
}

void AlertDispatcher::enqueue(Alert a) {
    const auto now = Clock::now();
    std::lock_guard lock(m_mu);
    if (m_stopping) return;
    if (m_o.format == AlertFormat::alertmanager) {
        auto it = m_active.find(a.key);
        if (it != m_active.end()) {
            it->second.last_seen_ms = a.last_seen_ms;
            it->second.score = a.score;
            it->second.held = it->second.held || a.held;
            ++it->second.occurrences;
            m_deduplicated.add();
            return;
        }
        if (m_active.size() >= m_o.queue_capacity) {
            m_dropped_full.add();
            return;
        }
        if (m_new_active == 0) m_first_pending = now;
        ++m_new_active;
        std::string key = a.key;
        m_active.emplace(std::move(key), std::move(a));
    } else {
        auto it = m_last.find(a.key);
        if (it != m_last.end() && now - it->second < std::chrono::milliseconds(m_o.cooldown_ms)) {
            ++m_suppressed;
            m_deduplicated.add();
            return;
        }
        if (m_pending.size() >= m_o.queue_capacity) {
            m_dropped_full.add();
            return;
        }
        if (m_last.size() > 4 * m_o.queue_capacity)  // forget identities whose cool-down is over
            std::erase_if(m_last, [&](const auto& kv) { return now - kv.second >= std::chrono::milliseconds(m_o.cooldown_ms); });
        m_last[a.key] = now;
        if (m_pending.empty()) m_first_pending = now;
        m_pending.push_back(std::move(a));
    }
    m_cv.notify_one();
}

void AlertDispatcher::finish() {
    {
        std::lock_guard lock(m_mu);
        if (!m_stopping) {
            m_stopping = true;
            m_deadline = Clock::now() + std::chrono::milliseconds(m_o.drain_ms);
        }
    }
    m_cv.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

AlertStats AlertDispatcher::stats() const {
    AlertStats s;
    s.sent = m_sent.value();
    s.posts = m_posts.value();
    s.deduplicated = m_deduplicated.value();
    s.dropped_queue_full = m_dropped_full.value();
    s.dropped_failed = m_dropped_failed.value();
    s.failed_attempts = m_failed_attempts.value();
    return s;
}

std::vector<std::string> AlertDispatcher::take_warnings() {
    std::lock_guard lock(m_mu);
    return std::exchange(m_warnings, {});
}

// Called with m_mu held. One warning a minute at most, so a dead receiver does not flood stderr.
void AlertDispatcher::warn(const std::string& text) {
    const auto now = Clock::now();
    if (m_last_warning != Clock::time_point{} && now - m_last_warning < std::chrono::minutes(1)) {
        ++m_unreported_failures;
        return;
    }
    std::string w = fmt::format("alerts to {}: {}", m_redacted, scrub_secrets(text, m_o.url));
    if (m_unreported_failures) w += fmt::format(" ({} more failures in the last minute)", m_unreported_failures);
    m_unreported_failures = 0;
    m_last_warning = now;
    if (m_warnings.size() < k_max_warnings) m_warnings.push_back(std::move(w));
}

bool AlertDispatcher::has_token(Clock::time_point now) {
    const double per_ms = m_o.max_per_minute / 60000.0;
    m_tokens = std::min<double>(m_o.max_per_minute,
                                m_tokens + per_ms * std::chrono::duration<double, std::milli>(now - m_tokens_at).count());
    m_tokens_at = now;
    return m_tokens >= 1;
}

// Called with m_mu held: takes what is due into one request body.
bool AlertDispatcher::prepare_post(Clock::time_point now, std::string& body, std::uint64_t& new_alerts) {
    const bool grouped = m_stopping || now >= m_first_pending + std::chrono::milliseconds(m_o.group_ms);
    if (m_o.format == AlertFormat::slack) {
        if (m_pending.empty() || !grouped || !has_token(now)) return false;
        SlackBatch b;
        b.instance = m_o.instance;
        b.suppressed = std::exchange(m_suppressed, 0);
        new_alerts = m_pending.size();
        constexpr std::size_t k_shown = 10;
        for (std::size_t i = 0; i < m_pending.size() && i < k_shown; ++i) b.alerts.push_back(std::move(m_pending[i]));
        b.more = m_pending.size() - b.alerts.size();
        m_pending.clear();
        body = slack_payload(b);
        m_tokens -= 1;
        return true;
    }
    const std::int64_t wall = util::wall_clock_ms();
    std::vector<Alert> active, resolved;
    for (auto it = m_active.begin(); it != m_active.end();) {
        if (!it->second.held && it->second.last_seen_ms + m_o.cooldown_ms <= wall) {
            resolved.push_back(std::move(it->second));
            it = m_active.erase(it);
        } else {
            ++it;
        }
    }
    const bool fresh = m_new_active > 0 && grouped && has_token(now);
    const bool resend = !m_active.empty() && now >= m_next_resend;
    if (!fresh && !resend && resolved.empty()) return false;
    for (const auto& [key, a] : m_active) active.push_back(a);
    // An incident that closed before its alert went out leaves nothing active: it is sent once,
    // resolved, and never as an empty array.
    if (active.empty() && resolved.empty()) {
        m_new_active = 0;
        return false;
    }
    body = alertmanager_payload(active, resolved, m_o.instance, wall, m_o.cooldown_ms);
    if (fresh || active.empty()) new_alerts = std::exchange(m_new_active, 0);
    if (fresh) m_tokens -= 1;
    m_next_resend = now + std::chrono::milliseconds(m_o.resend_ms);
    return true;
}

AlertDispatcher::Clock::time_point AlertDispatcher::next_wake(Clock::time_point now) const {
    Clock::time_point wake = now + std::chrono::seconds(5);  // at the latest: expiry checks
    const bool waiting = m_o.format == AlertFormat::slack ? !m_pending.empty() : m_new_active > 0;
    if (waiting) {
        auto at = m_first_pending + std::chrono::milliseconds(m_o.group_ms);
        if (m_tokens < 1)
            at = std::max(at, now + std::chrono::milliseconds(static_cast<std::int64_t>(
                                        (1 - m_tokens) * 60000.0 / m_o.max_per_minute) + 1));
        wake = std::min(wake, at);
    }
    if (m_o.format == AlertFormat::alertmanager && !m_active.empty()) wake = std::min(wake, m_next_resend);
    if (m_stopping) wake = std::min(wake, m_deadline);
    return std::max(wake, now + std::chrono::milliseconds(1));
}

void AlertDispatcher::run() {
    std::string body;
    std::uint64_t in_flight = 0;  // alerts in `body`
    bool have_body = false;
    int attempts = 0;
    Clock::time_point retry_at{};
    std::unique_lock lock(m_mu);
    for (;;) {
        const auto now = Clock::now();
        if (m_stopping && now >= m_deadline) {
            // Out of time: what is left is dropped, and counted.
            std::uint64_t left = (have_body ? in_flight : 0) + m_pending.size() + m_new_active;
            if (left) {
                m_dropped_failed.add(left);
                warn(fmt::format("{} alerts not delivered before exit", left));
            }
            m_pending.clear();
            m_new_active = 0;
            break;
        }
        if (!have_body) {
            in_flight = 0;
            have_body = prepare_post(now, body, in_flight);
            attempts = 0;
            retry_at = now;
            if (!have_body && m_stopping) {
                const bool idle = m_o.format == AlertFormat::slack ? m_pending.empty() : m_new_active == 0;
                if (idle) break;
            }
        }
        if (have_body && now >= retry_at) {
            long timeout = static_cast<long>(m_o.timeout_ms);
            if (m_stopping)
                timeout = std::min<long>(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - now).count());
            lock.unlock();
            const PostResult r = m_poster.post_json(body, std::max(timeout, 1L));
            lock.lock();
            if (r.ok()) {
                m_posts.add();
                m_sent.add(in_flight);
                have_body = false;
                continue;
            }
            m_failed_attempts.add();
            ++attempts;
            if (!r.retryable || attempts >= m_o.max_attempts) {
                m_dropped_failed.add(in_flight);
                warn(fmt::format("{}; gave up after {} attempt{}", r.error, attempts, attempts == 1 ? "" : "s"));
                have_body = false;
                continue;
            }
            warn(fmt::format("{}; retrying", r.error));
            const std::int64_t delay = std::min(k_max_backoff_ms, m_o.backoff_ms << std::min(attempts - 1, 20));
            retry_at = Clock::now() + std::chrono::milliseconds(delay);
        }
        auto wake = next_wake(Clock::now());
        if (have_body) wake = std::min(wake, std::max(retry_at, Clock::now() + std::chrono::milliseconds(1)));
        m_cv.wait_until(lock, wake);
    }
}

}  // namespace logad::ops
