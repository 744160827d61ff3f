#pragma once
// The sessions of a stream that are still open, closed by the one rule every stage that follows
// sessions shares (the session featurizer, the sequence signal and the learner of its baseline),
// so a session ends at the same line whichever stage looks at it:
// - a session closes once the stream's clock (the latest event time seen) is `idle_ms` past its
//   last activity. Activity is stamped with the clock, not with the event's own time, so a late
//   or untimed event keeps its session open like any other and the least recently active
//   session is always the first to close;
// - past `max_open` open sessions, the least recently active one closes early (counted);
// - sessions that close at the same moment, and those left at the end, close in order of
//   first appearance, so what follows from them does not depend on hashing.
// The stage keeps what it needs of a session in State; `close` callbacks take the Session.
#include <logad/record.hpp>

#include <algorithm>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

namespace logad::featurize {

template <class State>
class OpenSessions {
public:
    struct Session {
        std::string key;
        std::uint64_t first_line = 0;
        std::int64_t active = k_no_time;  // the stream clock at its last event
        State state;
    };

    OpenSessions(std::int64_t idle_ms, std::size_t max_open) : m_idle_ms(idle_ms), m_max_open(max_open) {}

    // The stream reached event time `t`: closes the sessions idle since before it.
    template <class Close>
    void advance_to(std::int64_t t, Close&& close) {
        if (t == k_no_time) return;
        if (m_clock == k_no_time)  // the first time seen: sessions opened before it start now
            for (Session& s : m_lru) s.active = t;
        if (m_clock != k_no_time && t <= m_clock) return;
        m_clock = t;
        auto end = m_lru.begin();
        while (end != m_lru.end() && end->active + m_idle_ms <= m_clock) ++end;
        close_range(end, close);
    }

    // The session of `key`, opened at `line` if it is not open; it is active now. Opening one
    // past max_open closes the least recently active session first.
    template <class Close>
    State& touch(const std::string& key, std::uint64_t line, Close&& close) {
        auto found = m_index.find(key);
        if (found != m_index.end()) {
            m_lru.splice(m_lru.end(), m_lru, found->second);  // most recently active last
            found->second->active = m_clock;
            return found->second->state;
        }
        if (m_index.size() >= m_max_open) {
            ++m_evicted;
            close_range(std::next(m_lru.begin()), close);
        }
        Session& s = m_lru.emplace_back();
        s.key = key;
        s.first_line = line;
        s.active = m_clock;
        m_index.emplace(key, std::prev(m_lru.end()));
        return s.state;
    }

    // Closes every open session: the end of the stream, or of a segment of it (another file),
    // after which the clock starts again from the next segment's times.
    template <class Close>
    void close_all(Close&& close) {
        close_range(m_lru.end(), close);
        m_clock = k_no_time;
    }

    std::size_t size() const noexcept { return m_index.size(); }
    std::uint64_t evicted() const noexcept { return m_evicted; }

private:
    using List = std::list<Session>;

    // Closes the sessions from the least recently active up to `end`, by first appearance.
    template <class Close>
    void close_range(typename List::iterator end, Close& close) {
        if (end == m_lru.begin()) return;
        m_closing.clear();
        for (auto it = m_lru.begin(); it != end; ++it) m_closing.push_back(it);
        std::sort(m_closing.begin(), m_closing.end(), [](auto a, auto b) { return a->first_line < b->first_line; });
        for (auto it : m_closing) {
            m_index.erase(it->key);
            close(*it);
            m_lru.erase(it);
        }
    }

    std::int64_t m_idle_ms;
    std::size_t m_max_open;
    std::int64_t m_clock = k_no_time;
    List m_lru;  // least recently active first
    std::unordered_map<std::string, typename List::iterator> m_index;
    std::vector<typename List::iterator> m_closing;
    std::uint64_t m_evicted = 0;
};

}  // namespace logad::featurize
