#include <logad/featurize/featurizers.hpp>

#include <logad/error.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <unordered_set>
#include <fmt/core.h>

namespace logad::featurize {
namespace {

bool is_field_name(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    });
}

}  // namespace

SessionKey::SessionKey(const std::string& spec)
    : m_spec(spec), m_extractions(std::make_unique<std::atomic<std::uint64_t>>(0)) {
    if (spec.empty()) throw UsageError("--key needs a field name or a regex, e.g. --key request_id or --key 'blk_-?\\d+'");
    if (is_field_name(spec)) {
        m_field = spec;
        return;
    }
    RE2::Options options;
    options.set_log_errors(false);
    m_regex = std::make_unique<RE2>(spec, options);
    if (!m_regex->ok())
        throw UsageError(fmt::format("--key '{}' is not a valid RE2 regex: {}", spec, m_regex->error()));
    if (m_regex->NumberOfCapturingGroups() > 1)
        throw UsageError(fmt::format("--key '{}' has more than one capture group; keep at most one", spec));
    // Without a group the whole match is the key: wrap it so extraction is always group 1.
    if (m_regex->NumberOfCapturingGroups() == 0) m_regex = std::make_unique<RE2>("(" + spec + ")", options);
}

SessionKey::~SessionKey() = default;
SessionKey::SessionKey(SessionKey&&) noexcept = default;
SessionKey& SessionKey::operator=(SessionKey&&) noexcept = default;

std::size_t SessionKey::extract(const Event& event, std::vector<std::string>& keys) const {
    m_extractions->fetch_add(1, std::memory_order_relaxed);
    keys.clear();
    if (!m_field.empty()) {
        for (const Field& f : event.record.fields) {
            if (f.key != m_field) continue;
            std::string v = f.value;
            if (f.json && v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
            if (!v.empty()) keys.push_back(std::move(v));
            return 0;
        }
        return 0;
    }
    // Distinct matches: a linear check while there are few (the usual one or two), a hash set
    // beyond, so a line with many matches (a crafted line, a dump of ids) costs linear time; at
    // most k_max_keys_per_line of them open sessions, the other distinct ones are counted.
    constexpr std::size_t k_linear = 8;
    std::unordered_set<std::string_view> seen;
    std::size_t dropped = 0;
    re2::StringPiece input(event.record.message);
    re2::StringPiece match;
    while (!input.empty() && RE2::FindAndConsume(&input, *m_regex, &match)) {
        if (match.empty()) {  // an empty match would not advance: step over one byte
            if (!input.empty()) input.remove_prefix(1);
            continue;
        }
        const std::string_view key(match.data(), match.size());
        if (seen.empty() && keys.size() < k_linear) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
            continue;
        }
        if (seen.empty()) {
            keys.reserve(k_max_keys_per_line);  // no reallocation from here on: the views below stay valid
            for (const std::string& k : keys) seen.insert(k);
        }
        if (!seen.insert(key).second) continue;
        if (keys.size() < k_max_keys_per_line)
            keys.emplace_back(key);
        else
            ++dropped;
    }
    return dropped;
}

SessionFeaturizer::SessionFeaturizer(const FeatureSpace& space, const SessionKey& key, SessionOptions options,
                                     Sink<FeatureRow>& next)
    : m_space(space), m_key(key), m_options(options), m_next(next), m_sessions(options.idle_ms, options.max_open),
      m_layout(space.layout(Granularity::session)) {
    if (m_options.idle_ms <= 0) throw UsageError("--idle must be positive");
    if (m_options.max_open == 0) throw UsageError("the open-session limit must be at least 1");
}

void SessionFeaturizer::emit(std::string key, std::uint64_t first_line, const SessionCounts& s) {
    m_row.granularity = Granularity::session;
    m_row.first_line = first_line;
    m_row.last_line = s.last_line;
    m_row.start_ms = s.first_ts;
    m_row.end_ms = s.last_ts;
    m_row.key = std::move(key);
    m_row.template_id = 0;
    m_row.values.assign(m_layout.width(), 0.0);
    double* v = m_row.values.data();
    v[m_layout.at(Column::events)] = static_cast<double>(s.events);
    v[m_layout.at(Column::duration)] = s.first_ts == k_no_time ? 0.0 : static_cast<double>(s.last_ts - s.first_ts) / 1000.0;
    v[m_layout.at(Column::distinct_templates)] = static_cast<double>(s.seen.size());
    v[m_layout.at(Column::new_templates)] = s.new_templates;
    for (std::size_t l = 0; l < k_levels; ++l) v[m_layout.at(Column::level) + l] = s.levels[l];
    for (const auto& [column, count] : s.counts) v[m_layout.count_column(column)] = count;
    m_next.push(m_row);
}

void SessionFeaturizer::push(Event& event) {
    m_key.extract(event, m_keys);
    push_keyed(event, m_keys);
}

void SessionFeaturizer::push_keyed(const Event& event, const EventKeys& keys) {
    advance_to(event.record.ts_ms);
    m_dropped_keys += keys.dropped;
    if (keys.keys.empty()) {
        ++m_keyless;
        return;
    }
    const auto emit_closed = [this](Sessions::Session& s) { emit(std::move(s.key), s.first_line, s.state); };
    for (const std::string& key : keys.keys) count(m_sessions.touch(key, event.record.line, emit_closed), event);
}

void SessionFeaturizer::count(SessionCounts& s, const Event& event) const {
    const std::int64_t t = event.record.ts_ms;
    ++s.events;
    s.last_line = event.record.line;
    if (t != k_no_time) {
        if (s.first_ts == k_no_time) s.first_ts = t;
        s.last_ts = std::max(s.last_ts, t);
    }
    if (std::find(s.seen.begin(), s.seen.end(), event.template_id) == s.seen.end()) {
        s.seen.push_back(event.template_id);
        if (!m_space.knows(event.template_id)) ++s.new_templates;
    }
    if (event.record.level != Level::unknown) ++s.levels[static_cast<int>(event.record.level) - 1];
    const auto column = static_cast<std::uint32_t>(m_space.column_of(event.template_id));
    auto c = std::find_if(s.counts.begin(), s.counts.end(), [&](const auto& p) { return p.first == column; });
    if (c == s.counts.end())
        s.counts.emplace_back(column, 1);
    else
        ++c->second;
}

void SessionFeaturizer::advance_to(std::int64_t t) {
    m_sessions.advance_to(t, [this](Sessions::Session& s) { emit(std::move(s.key), s.first_line, s.state); });
}

void SessionFeaturizer::finish() {
    m_sessions.close_all([this](Sessions::Session& s) { emit(std::move(s.key), s.first_line, s.state); });
    m_next.finish();
}

}  // namespace logad::featurize
