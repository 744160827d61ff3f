#include <logad/util/json_integer.hpp>
#include <logad/pipeline/signals.hpp>

#include <logad/error.hpp>
#include <logad/util/quantile.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace logad::pipeline {
namespace {

// The bars, learned values aside. Chosen so that normal traffic like the training data stays
// quiet (a burst is several times the busiest normal window, not a busy minute).
constexpr double k_burst_factor = 3.0, k_burst_margin = 10.0;
constexpr double k_silence_presence = 0.95, k_silence_low = 2.0;
// -ln(1e-5): how unlikely (in nats) a silent run must be before it is no accident.
const double k_silence_surprise = std::log(1e5);
constexpr std::uint32_t k_min_windows = 20;
constexpr std::uint32_t k_shift_min_events = 10, k_shift_min_bad = 5;
constexpr double k_shift_factor = 2.0, k_shift_margin = 0.2;
constexpr double k_scan_factor = 3.0, k_scan_margin = 20.0;
constexpr std::uint32_t k_min_sessions_together = 10;
constexpr double k_param_spreads = 3.0;
constexpr std::size_t k_max_pairs = 1u << 20;
constexpr std::size_t k_max_open_sessions = 100000;

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) { return (static_cast<std::uint64_t>(a) << 32) | b; }

std::string short_text(const std::string& text) {
    return text.size() <= 80 ? text : text.substr(0, 77) + "...";
}

std::string fmt_num(double v) {
    if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(v)));
    return fmt::format("{:.4g}", v);
}

std::string fmt_duration(std::int64_t ms) {
    if (ms % 3600000 == 0) return fmt::format("{} h", ms / 3600000);
    if (ms % 60000 == 0 && ms >= 120000) return fmt::format("{} min", ms / 60000);
    if (ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
    return fmt::format("{} ms", ms);
}

}  // namespace

// ---------------------------------------------------------------- persistence

nlohmann::json Baseline::to_json() const {
    nlohmann::json j;
    j["window_ms"] = window_ms;
    j["windows"] = windows;
    auto sorted_keys = [](const auto& map) {
        std::vector<typename std::decay_t<decltype(map)>::key_type> keys;
        for (const auto& kv : map) keys.push_back(kv.first);
        std::sort(keys.begin(), keys.end());
        return keys;
    };
    auto& c = j["counts"] = nlohmann::json::array();
    for (auto id : sorted_keys(counts)) {
        const WindowCounts& w = counts.at(id);
        c.push_back({id, w.present, w.p50, w.p99, w.max, w.p01});
    }
    auto& comp = j["components"] = nlohmann::json::array();
    for (const auto& name : sorted_keys(components)) {
        const ComponentShare& s = components.at(name);
        comp.push_back({name, s.windows, s.p99, s.max});
    }
    // Absent in models saved before they were learned: those read as not learned.
    if (overall.windows != 0) j["overall"] = {overall.windows, overall.p99, overall.max};
    if (!statuses.empty()) {
        auto& st = j["statuses"] = nlohmann::json::array();
        for (const auto& name : sorted_keys(statuses)) {
            const StatusShare& s = statuses.at(name);
            st.push_back({name, s.windows, s.p99_4xx, s.max_4xx, s.p99_5xx, s.max_5xx});
        }
    }
    if (components_dropped != 0) j["components_dropped"] = components_dropped;
    j["client_bad_max"] = client_bad_max;
    j["key"] = key;
    j["idle_ms"] = idle_ms;
    j["sessions"] = sessions;
    auto& o = j["order"] = nlohmann::json::array();
    for (auto k : sorted_keys(order)) o.push_back({k, order.at(k).together, order.at(k).a_first});
    return j;
}

Baseline Baseline::from_json(const nlohmann::json& j) {
    Baseline b;
    try {
        b.window_ms = util::json_integer<std::int64_t>(j.at("window_ms"));
        b.windows = util::json_integer<std::uint64_t>(j.at("windows"));
        for (const auto& c : j.at("counts"))
            b.counts[util::json_integer<std::uint32_t>(c.at(0))] = {util::json_integer<std::uint32_t>(c.at(1)), c.at(2).get<double>(),
                                                       c.at(3).get<double>(), c.at(4).get<double>(),
                                                       c.size() > 5 ? c.at(5).get<double>() : -1.0};
        for (const auto& c : j.at("components"))
            b.components[c.at(0).get<std::string>()] = {util::json_integer<std::uint32_t>(c.at(1)), c.at(2).get<double>(),
                                                        c.at(3).get<double>()};
        if (const auto o = j.find("overall"); o != j.end())
            b.overall = {util::json_integer<std::uint32_t>(o->at(0)), o->at(1).get<double>(), o->at(2).get<double>()};
        if (const auto st = j.find("statuses"); st != j.end())
            for (const auto& c : *st)
                b.statuses[c.at(0).get<std::string>()] = {util::json_integer<std::uint32_t>(c.at(1)), c.at(2).get<double>(),
                                                          c.at(3).get<double>(), c.at(4).get<double>(), c.at(5).get<double>()};
        if (const auto d = j.find("components_dropped"); d != j.end()) b.components_dropped = util::json_integer<std::uint64_t>(*d);
        b.client_bad_max = j.at("client_bad_max").get<double>();
        b.key = j.at("key").get<std::string>();
        b.idle_ms = util::json_integer<std::int64_t>(j.at("idle_ms"));
        b.sessions = util::json_integer<std::uint64_t>(j.at("sessions"));
        for (const auto& o : j.at("order"))
            b.order[util::json_integer<std::uint64_t>(o.at(0))] = {util::json_integer<std::uint32_t>(o.at(1)), util::json_integer<std::uint32_t>(o.at(2))};
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("signal baseline is damaged: {}", e.what()));
    }
    constexpr std::int64_t k_max_ms = 10LL * 366 * 24 * 3600 * 1000;
    if (b.window_ms <= 0 || b.idle_ms <= 0 || b.window_ms > k_max_ms || b.idle_ms > k_max_ms) throw FormatError("signal baseline has a window or idle time out of range; the model file is damaged");
    return b;
}

// ---------------------------------------------------------------- learning

BaselineLearner::BaselineLearner(std::int64_t window_ms, const featurize::SessionKey* key, std::int64_t idle_ms)
    : m_tally(window_ms, [this](const Tally& t) { close_window(t); }), m_key(key) {
    m_baseline.window_ms = window_ms;
    m_baseline.idle_ms = idle_ms;
    if (key) m_baseline.key = key->spec();
}

void BaselineLearner::close_window(const Tally& t) {
    if (!t.complete) return;  // a cut-short window would teach lower counts
    ++m_baseline.windows;
    for (const auto& [id, n] : t.templates) m_present_counts[id].push_back(n);
    const auto share = [](std::uint32_t part, std::uint32_t whole) { return static_cast<double>(part) / whole; };
    const auto learn_status = [&](const std::string& name, const ShareCount& c) {
        if (c.requests < k_shift_min_events) return;
        StatusSeries& s = m_status[name];
        s.s4xx.push_back(share(c.c4xx, c.requests));
        s.s5xx.push_back(share(c.c5xx, c.requests));
    };
    m_baseline.components_dropped += t.components_over != 0;
    for (const auto& [name, c] : t.components) {
        if (!m_known.count(name)) {
            if (m_known.size() >= k_max_components) {  // bounded: the first components seen are learned
                ++m_baseline.components_dropped;
                continue;
            }
            m_known.insert(name);
        }
        if (c.events >= k_shift_min_events) m_shares[name].push_back(share(c.bad, c.events));
        learn_status(name, c);
    }
    if (t.overall.events >= k_shift_min_events) m_overall_shares.push_back(share(t.overall.bad, t.overall.events));
    learn_status("", t.overall);
    for (const auto& [client, bad] : t.clients) m_baseline.client_bad_max = std::max<double>(m_baseline.client_bad_max, bad);
}

void BaselineLearner::close_session(const Open& s) {
    ++m_baseline.sessions;
    for (std::size_t i = 0; i < s.order.size(); ++i)
        for (std::size_t j = i + 1; j < s.order.size(); ++j) {
            const std::uint32_t first = s.order[i], second = s.order[j];
            const std::uint32_t a = std::min(first, second), b = std::max(first, second);
            auto it = m_baseline.order.find(pair_key(a, b));
            if (it == m_baseline.order.end()) {
                if (m_baseline.order.size() >= k_max_pairs) continue;
                it = m_baseline.order.emplace(pair_key(a, b), Precedence{}).first;
            }
            ++it->second.together;
            it->second.a_first += first == a;
        }
}

void BaselineLearner::add(const Event& e) {
    m_tally.add(e);
    if (!m_key) return;
    const std::int64_t t = e.record.ts_ms;
    if (t != k_no_time && (m_last_sweep == k_no_time || t - m_last_sweep >= m_baseline.idle_ms / 4)) {
        m_last_sweep = t;
        for (auto it = m_sessions.begin(); it != m_sessions.end();) {
            if (it->second.last_ts != k_no_time && it->second.last_ts + m_baseline.idle_ms <= t) {
                close_session(it->second);
                it = m_sessions.erase(it);
            } else {
                ++it;
            }
        }
    }
    m_key->extract(e, m_keys);
    for (const std::string& k : m_keys) {
        auto [it, fresh] = m_sessions.try_emplace(k);
        if (fresh && m_sessions.size() > k_max_open_sessions) {  // bounded: learn from it now
            close_session(it->second);
            m_sessions.erase(it);
            continue;
        }
        Open& s = it->second;
        if (std::find(s.order.begin(), s.order.end(), e.template_id) == s.order.end()) s.order.push_back(e.template_id);
        if (t != k_no_time) s.last_ts = std::max(s.last_ts, t);
    }
}

void BaselineLearner::end_segment() {
    m_tally.finish();
    for (const auto& [k, s] : m_sessions) close_session(s);
    m_sessions.clear();
    m_last_sweep = k_no_time;
}

Baseline BaselineLearner::finish() {
    m_tally.finish();
    for (const auto& [k, s] : m_sessions) close_session(s);
    m_sessions.clear();
    const auto windows = static_cast<std::size_t>(m_baseline.windows);
    for (auto& [id, present] : m_present_counts) {
        std::vector<double> all(windows, 0.0);  // absent windows count as zeros
        std::copy(present.begin(), present.end(), all.begin());
        WindowCounts w;
        w.present = static_cast<std::uint32_t>(present.size());
        w.max = *std::max_element(present.begin(), present.end());
        w.p99 = util::quantile_of(all, 0.99);
        w.p50 = util::quantile_of(all, 0.5);
        w.p01 = util::quantile_of(all, 0.01);
        m_baseline.counts[id] = w;
    }
    for (auto& [name, shares] : m_shares) {
        ComponentShare s;
        s.windows = static_cast<std::uint32_t>(shares.size());
        s.max = *std::max_element(shares.begin(), shares.end());
        s.p99 = util::quantile_of(shares, 0.99);
        m_baseline.components[name] = s;
    }
    if (!m_overall_shares.empty()) {
        ComponentShare& s = m_baseline.overall;
        s.windows = static_cast<std::uint32_t>(m_overall_shares.size());
        s.max = *std::max_element(m_overall_shares.begin(), m_overall_shares.end());
        s.p99 = util::quantile_of(m_overall_shares, 0.99);
    }
    for (auto& [name, series] : m_status) {
        StatusShare s;
        s.windows = static_cast<std::uint32_t>(series.s5xx.size());
        s.max_4xx = *std::max_element(series.s4xx.begin(), series.s4xx.end());
        s.max_5xx = *std::max_element(series.s5xx.begin(), series.s5xx.end());
        s.p99_4xx = util::quantile_of(series.s4xx, 0.99);
        s.p99_5xx = util::quantile_of(series.s5xx, 0.99);
        m_baseline.statuses[name] = s;
    }
    return std::move(m_baseline);
}

// ---------------------------------------------------------------- checking

SignalChecker::SignalChecker(const Baseline& baseline, const featurize::FeatureSpace& space,
                             const featurize::SessionKey* key, OnAlert on_alert)
    : m_baseline(baseline), m_space(space), m_key(key), m_on_alert(std::move(on_alert)), m_params(space),
      m_tally(baseline.window_ms, [this](const Tally& t) { check_window(t); }) {}

std::string SignalChecker::describe(std::uint32_t id) const {
    if (auto it = m_space.templates.find(id); it != m_space.templates.end()) return short_text(it->second.text);
    if (auto it = m_new_texts.find(id); it != m_new_texts.end()) return short_text(it->second);
    return fmt::format("#{}", id);
}

void SignalChecker::check_line(const Event& e) {
    auto start = [&](const char* signal, double severity) {
        m_alert = Alert{};
        m_alert.signal = signal;
        m_alert.per = "line";
        m_alert.severity = severity;
        m_alert.first_line = m_alert.last_line = e.record.line;
        m_alert.start_ms = m_alert.end_ms = e.record.ts_ms;
        m_alert.template_id = e.template_id;
    };
    if (!m_space.knows(e.template_id)) {
        if (m_new_texts.size() < 100000) m_new_texts.try_emplace(e.template_id, e.template_text);
        start("new_template", 2.0);
        m_alert.reason = fmt::format("template `{}` never seen in training", short_text(e.template_text));
        m_on_alert(m_alert);
        return;
    }
    // One alert per line: the first reading far out is enough to act on; parameters first.
    const auto far_out = [](const featurize::ParamReading& reading) {
        const featurize::Spread& r = *reading.range;
        const double v = reading.value;
        if (v > r.max) return (v - r.p99) / r.width();
        if (v < r.min) return (r.p01 - v) / r.width();
        return 0.0;
    };
    const auto report = [&](const featurize::ParamReading& reading, double d, const std::string& written) {
        const featurize::Spread& r = *reading.range;
        const double v = reading.value;
        start(reading.field ? "field_range" : "param_range", d / k_param_spreads);
        // What a verdict on this alert is scoped to: a parameter's slot (a field has its name).
        m_alert.slot = reading.field ? -1 : static_cast<int>(reading.position);
        m_alert.value = v;
        const bool low = v < r.min;
        // A measurement is quoted as written (`512M`); a rate is a number logad computed.
        const std::string value = reading.rate() ? fmt_num(v) : written;
        m_alert.reason = fmt::format("{} of `{}` = {}, training {} = {} (range {} to {})", featurize::reading_subject(reading),
                                     short_text(e.template_text), value, low ? "p1" : "p99", fmt_num(low ? r.p01 : r.p99),
                                     fmt_num(r.min), fmt_num(r.max));
        m_on_alert(m_alert);
    };
    for (const featurize::ParamReading& reading : m_params.read(e))
        if (const double d = far_out(reading); d > k_param_spreads) return report(reading, d, e.params[reading.position].value);
    for (const featurize::ParamReading& reading : m_params.read_fields(e))
        if (const double d = far_out(reading); d > k_param_spreads) {
            const auto p = featurize::field_param(e.record.fields[reading.position]);
            return report(reading, d, p ? p->value : fmt_num(reading.value));
        }
}

void SignalChecker::start_window_alert(const char* signal, double severity, const Tally& t) {
    m_alert = Alert{};
    m_alert.signal = signal;
    m_alert.per = "window";
    m_alert.severity = severity;
    m_alert.first_line = t.first_line;
    m_alert.last_line = t.last_line;
    m_alert.start_ms = t.start_ms;
    m_alert.end_ms = t.end_ms;
}

void SignalChecker::check_window(const Tally& t) {
    auto start = [&](const char* signal, double severity, std::uint32_t id) {
        start_window_alert(signal, severity, t);
        m_alert.template_id = id;
    };
    const std::string span = fmt_duration(m_baseline.window_ms);
    for (const auto& [id, n] : t.templates) {
        const auto it = m_baseline.counts.find(id);
        if (it == m_baseline.counts.end()) continue;  // new templates have their own signal
        const WindowCounts& w = it->second;
        const double bar = std::max(k_burst_factor * w.p99, w.p99 + k_burst_margin);
        if (n <= bar || n <= w.max) continue;
        start("burst", n / bar, id);
        m_alert.first_line = t.first_line_of.at(id);
        m_alert.value = n;
        m_alert.reason = fmt::format("`{}` {} times in {}, typical {} (training p99 {}, max {})", describe(id), n, span,
                                     fmt_num(w.p50), fmt_num(w.p99), fmt_num(w.max));
        m_on_alert(m_alert);
    }
    if (t.complete && m_baseline.windows >= k_min_windows) {
        for (const auto& [id, w] : m_baseline.counts) {
            const double presence = static_cast<double>(w.present) / static_cast<double>(m_baseline.windows);
            if (presence < k_silence_presence) continue;
            // Present in nearly every window is not enough: a template seen ~5 times a minute
            // at random is absent from a minute now and then. Its count must have been at least
            // k_silence_low in 99% of training windows, so that none at all is no accident.
            if (w.p01 >= 0 && w.p01 < k_silence_low) continue;
            if (t.templates.count(id)) {
                m_silent_runs.erase(id);
                continue;
            }
            SilentRun& run = m_silent_runs[id];
            if (run.windows++ == 0) {
                run.start_ms = t.start_ms;
                run.first_line = t.first_line;
            }
            // Many templates are judged every window, so one empty window is not enough: the
            // run must be long enough that chance explains it less than once in 100,000 runs.
            // The chance of one empty window is the smaller of two estimates: a Poisson stream at
            // the typical rate (exp(-p50)), and the empty windows training had (add-one, so a
            // strictly periodic job that was never missing still needs evidence).
            const double windows = static_cast<double>(m_baseline.windows);
            const double empty = std::min(std::exp(-std::max(w.p50, 0.0)), (windows - w.present + 1) / (windows + 2));
            const double surprise = static_cast<double>(run.windows) * -std::log(empty);
            if (surprise < k_silence_surprise) continue;
            start("silence", surprise / k_silence_surprise, id);
            m_alert.start_ms = run.start_ms;
            m_alert.first_line = run.first_line;
            const std::string silent_for = fmt_duration(static_cast<std::int64_t>(run.windows) * m_baseline.window_ms);
            m_alert.reason = w.p01 >= 0 ? fmt::format("`{}` silent for {}, typical {} per {} (at least {} in 99% of training windows)",
                                                      describe(id), silent_for, fmt_num(w.p50), span, fmt_num(std::floor(w.p01)))
                                        : fmt::format("`{}` silent for {}; it appeared in {:.0f}% of training windows, typically {} times per {}",
                                                      describe(id), silent_for, 100 * presence, fmt_num(w.p50), span);
            m_on_alert(m_alert);
        }
    }
    check_shares(t);
    if (m_baseline.windows >= k_min_windows) {
        const double bar = std::max(k_scan_factor * m_baseline.client_bad_max, m_baseline.client_bad_max + k_scan_margin);
        for (const auto& [client, bad] : t.clients) {
            if (bad <= bar) continue;
            start("scan", bad / bar, 0);
            m_alert.key = client;
            m_alert.value = bad;
            m_alert.reason = fmt::format("client {}: {} warning/error events in {}, training at most {} for any client",
                                         client, bad, span, fmt_num(m_baseline.client_bad_max));
            m_on_alert(m_alert);
        }
    }
    check_statuses(t);
}

// A share (of warnings/errors, of 5xx or 4xx responses) judged like a count: enough events in
// the window to judge, and far above both the training p99 and the training maximum.
double SignalChecker::share_excess(std::uint32_t part, std::uint32_t whole, double p99, double max) {
    if (whole < k_shift_min_events || part < k_shift_min_bad) return 0;
    const double share = static_cast<double>(part) / whole;
    const double bar = std::min(1.0, std::max(k_shift_factor * p99, p99 + k_shift_margin));
    if (share <= bar || share <= max) return 0;
    return share / std::max(bar, 1e-9);
}

void SignalChecker::check_shares(const Tally& t) {
    const std::string span = fmt_duration(m_baseline.window_ms);
    const auto alert = [&](double severity, const std::string& key, double share, std::string reason) {
        start_window_alert("level_shift", severity, t);
        m_alert.value = share;
        m_alert.key = key;
        m_alert.reason = std::move(reason);
        m_on_alert(m_alert);
    };
    const auto reason = [&](std::uint32_t bad, std::uint32_t n, double max) {
        return fmt::format("{} of {} events ({:.0f}%) were warnings or errors in {}, training at most {:.0f}%", bad, n,
                           100.0 * bad / n, span, 100 * max);
    };
    for (const auto& [name, c] : t.components) {
        const auto it = m_baseline.components.find(name);
        if (it == m_baseline.components.end() || it->second.windows < k_min_windows) continue;
        if (const double sev = share_excess(c.bad, c.events, it->second.p99, it->second.max); sev > 0)
            alert(sev, name, static_cast<double>(c.bad) / c.events, fmt::format("component {}: {}", name, reason(c.bad, c.events, it->second.max)));
    }
    const ComponentShare& o = m_baseline.overall;
    if (o.windows >= k_min_windows)
        if (const double sev = share_excess(t.overall.bad, t.overall.events, o.p99, o.max); sev > 0)
            alert(sev, "", static_cast<double>(t.overall.bad) / t.overall.events, reason(t.overall.bad, t.overall.events, o.max));
}

void SignalChecker::check_statuses(const Tally& t) {
    if (m_baseline.statuses.empty()) return;
    const std::string span = fmt_duration(m_baseline.window_ms);
    const auto judge = [&](const std::string& name, const ShareCount& c) {
        const auto it = m_baseline.statuses.find(name);
        if (it == m_baseline.statuses.end() || it->second.windows < k_min_windows) return;
        const StatusShare& b = it->second;
        for (const bool server : {true, false}) {  // 5xx first: the one to act on
            const std::uint32_t part = server ? c.c5xx : c.c4xx;
            const double p99 = server ? b.p99_5xx : b.p99_4xx, max = server ? b.max_5xx : b.max_4xx;
            const double sev = share_excess(part, c.requests, p99, max);
            if (sev <= 0) continue;
            start_window_alert("status_share", sev, t);
            // Over all requests the class is the key: an outage is its own incident, not joined
            // to whatever else was open (a keyless record joins the incident seen last).
            m_alert.key = name.empty() ? (server ? "5xx" : "4xx") : name;
            m_alert.value = static_cast<double>(part) / c.requests;
            m_alert.reason = fmt::format("{}{} share {} of {} requests ({:.0f}%) in {}, training at most {}%",
                                         name.empty() ? "" : fmt::format("component {}: ", name), server ? "5xx" : "4xx", part,
                                         c.requests, 100.0 * part / c.requests, span, fmt_num(std::round(1000 * max) / 10));
            m_on_alert(m_alert);
        }
    };
    for (const auto& [name, c] : t.components) judge(name, c);
    judge("", t.overall);
}

void SignalChecker::check_session(const std::string& key, const Open& s) {
    for (std::size_t i = 0; i < s.order.size(); ++i)
        for (std::size_t j = i + 1; j < s.order.size(); ++j) {
            const std::uint32_t first = s.order[i], second = s.order[j];  // first came first here
            const std::uint32_t a = std::min(first, second), b = std::max(first, second);
            const auto it = m_baseline.order.find(pair_key(a, b));
            if (it == m_baseline.order.end() || it->second.together < k_min_sessions_together) continue;
            const std::uint32_t first_came_first = first == a ? it->second.a_first : it->second.together - it->second.a_first;
            if (first_came_first != 0) continue;
            m_alert = Alert{};
            m_alert.signal = "sequence";
            m_alert.per = "session";
            m_alert.severity = 1.0 + std::log10(static_cast<double>(it->second.together) / k_min_sessions_together);
            m_alert.key = key;
            m_alert.first_line = s.lines[i];
            m_alert.last_line = s.last_line;
            m_alert.start_ms = s.first_ts;
            m_alert.end_ms = s.last_ts;
            m_alert.template_id = first;
            m_alert.reason = fmt::format("in {}, `{}` came before `{}`; it came after it in all {} training sessions with both",
                                         key, describe(first), describe(second), it->second.together);
            m_on_alert(m_alert);
            return;  // one alert per session
        }
}

void SignalChecker::sweep_sessions(std::int64_t t) {
    if (m_last_sweep != k_no_time && t - m_last_sweep < m_baseline.idle_ms / 4) return;
    m_last_sweep = t;
    std::vector<std::string> done;
    for (const auto& [key, s] : m_sessions)
        if (s.last_ts != k_no_time && s.last_ts + m_baseline.idle_ms <= t) done.push_back(key);
    std::sort(done.begin(), done.end(), [&](const auto& x, const auto& y) {
        return m_sessions.at(x).first_line < m_sessions.at(y).first_line;
    });
    for (const std::string& key : done) {
        check_session(key, m_sessions.at(key));
        m_sessions.erase(key);
    }
}

void SignalChecker::add_line(const Event& e) { check_line(e); }

void SignalChecker::add_timed(const Event& e) {
    m_tally.add(e);
    if (!m_key || m_baseline.order.empty()) return;
    const std::int64_t t = e.record.ts_ms;
    if (t != k_no_time) sweep_sessions(t);
    m_dropped_keys += m_key->extract(e, m_keys);
    for (const std::string& k : m_keys) {
        auto [it, fresh] = m_sessions.try_emplace(k);
        Open& s = it->second;
        if (fresh) {
            if (m_sessions.size() > k_max_open_sessions) {
                m_sessions.erase(it);
                continue;
            }
            s.first_line = e.record.line;
            s.first_ts = t;
        }
        s.last_line = e.record.line;
        if (t != k_no_time) s.last_ts = std::max(s.last_ts, t);
        if (std::find(s.order.begin(), s.order.end(), e.template_id) == s.order.end()) {
            s.order.push_back(e.template_id);
            s.lines.push_back(e.record.line);
        }
    }
}

void SignalChecker::advance_to(std::int64_t t) {
    m_tally.advance_to(t);
    if (m_key) sweep_sessions(t);
}

void SignalChecker::finish() {
    m_tally.finish();
    std::vector<std::pair<std::uint64_t, std::string>> rest;
    for (const auto& [key, s] : m_sessions) rest.emplace_back(s.first_line, key);
    std::sort(rest.begin(), rest.end());
    for (const auto& [line, key] : rest) check_session(key, m_sessions.at(key));
    m_sessions.clear();
}

}  // namespace logad::pipeline
