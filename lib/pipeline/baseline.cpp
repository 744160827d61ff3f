#include <logad/util/json_integer.hpp>
#include <logad/pipeline/signals.hpp>

#include "signals/signal_bars.hpp"

#include <logad/error.hpp>
#include <logad/util/quantile.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace logad::pipeline {

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
    : m_tally(window_ms, [this](const Tally& t) { close_window(t); }), m_key(key),
      m_sessions(idle_ms, featurize::k_max_open_sessions) {
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
        if (c.requests < signal_bars::k_shift_min_events) return;
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
        if (c.events >= signal_bars::k_shift_min_events) m_shares[name].push_back(share(c.bad, c.events));
        learn_status(name, c);
    }
    if (t.overall.events >= signal_bars::k_shift_min_events) m_overall_shares.push_back(share(t.overall.bad, t.overall.events));
    learn_status("", t.overall);
    for (const auto& [client, bad] : t.clients) m_baseline.client_bad_max = std::max<double>(m_baseline.client_bad_max, bad);
}

void BaselineLearner::close_session(const Open& s) {
    ++m_baseline.sessions;
    for (std::size_t i = 0; i < s.order.size(); ++i)
        for (std::size_t j = i + 1; j < s.order.size(); ++j) {
            const std::uint32_t first = s.order[i], second = s.order[j];
            const std::uint32_t a = std::min(first, second), b = std::max(first, second);
            auto it = m_baseline.order.find(signal_bars::pair_key(a, b));
            if (it == m_baseline.order.end()) {
                if (m_baseline.order.size() >= signal_bars::k_max_pairs) continue;
                it = m_baseline.order.emplace(signal_bars::pair_key(a, b), Precedence{}).first;
            }
            ++it->second.together;
            it->second.a_first += first == a;
        }
}

void BaselineLearner::add(const Event& e) {
    if (m_key) m_key->extract(e, m_keys);
    add_keyed(e, m_keys);
}

void BaselineLearner::add_keyed(const Event& e, const featurize::EventKeys& keys) {
    m_tally.add(e);
    if (!m_key) return;
    const auto learn = [this](auto& s) { close_session(s.state); };
    m_sessions.advance_to(e.record.ts_ms, learn);
    for (const std::string& k : keys.keys) {
        Open& s = m_sessions.touch(k, e.record.line, learn);
        if (std::find(s.order.begin(), s.order.end(), e.template_id) == s.order.end()) s.order.push_back(e.template_id);
    }
}

void BaselineLearner::end_segment() {
    m_tally.finish();
    m_sessions.close_all([this](auto& s) { close_session(s.state); });
}

Baseline BaselineLearner::finish() {
    m_tally.finish();
    m_sessions.close_all([this](auto& s) { close_session(s.state); });
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

}  // namespace logad::pipeline
