#include <logad/model/score_memo.hpp>

#include "algorithms.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace logad::model {
namespace {

// Split points at or below v (std::upper_bound's answer): `v < cut` is then decided for every
// cut of the feature. Without branches on the comparisons: a forest has hundreds of cuts per
// feature and a log row's values land anywhere among them, so a branch would be a coin toss.
std::uint32_t code_of(const std::vector<double>& cuts, double v) {
    if (cuts.empty()) return 0;
    const double* base = cuts.data();
    std::size_t n = cuts.size();
    while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half] <= v ? base + half : base;
        n -= half;
    }
    return static_cast<std::uint32_t>(base - cuts.data()) + (*base <= v ? 1u : 0u);
}

constexpr std::size_t k_seen_slots = 256;  // per feature: 4 KiB

std::size_t seen_slot(double v) noexcept {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> 56);  // the top 8 bits: 0..255
}

std::uint64_t mix(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

}  // namespace

KeyScores::KeyScores(std::size_t capacity) {
    std::size_t slots = 16;
    while (slots < 2 * capacity) slots *= 2;  // at most half full: probes stay short
    m_slots.resize(slots);
}

std::size_t KeyScores::slot_of(std::string_view key, std::uint64_t hash) const noexcept {
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (!s.used()) return i;
        if (s.hash == hash && s.length == key.size() && std::memcmp(m_arena.data() + s.offset, key.data(), key.size()) == 0)
            return i;
    }
}

const double* KeyScores::find(std::string_view key, std::uint64_t hash) const noexcept {
    const Slot& s = m_slots[slot_of(key, hash)];
    return s.used() ? &s.score : nullptr;
}

void KeyScores::insert(std::string_view key, std::uint64_t hash, double score) {
    if (2 * (m_size + 1) > m_slots.size()) return;  // never more than half full, so a probe ends
    Slot& s = m_slots[slot_of(key, hash)];
    if (s.used()) return;
    s.hash = hash;
    s.offset = static_cast<std::uint32_t>(m_arena.size());
    s.length = static_cast<std::uint32_t>(key.size());
    s.score = score;
    m_arena.append(key);
    ++m_size;
}

void KeyScores::clear() noexcept {
    std::fill(m_slots.begin(), m_slots.end(), Slot{});
    m_arena.clear();
    m_size = 0;
}

ScoreMemo::ScoreMemo(const Detector& detector, std::size_t capacity)
    : m_detector(detector), m_cuts(split_points(detector)), m_capacity(std::max<std::size_t>(capacity, 1)),
      m_memo(m_capacity) {
    m_zero_code.reserve(m_cuts.size());
    for (const auto& cuts : m_cuts) m_zero_code.push_back(code_of(cuts, 0.0));
    m_seen.resize(m_cuts.size() * k_seen_slots);
}

std::uint32_t ScoreMemo::code(std::size_t f, double v) {
    SeenValue& seen = m_seen[f * k_seen_slots + seen_slot(v)];
    if (seen.value != v) {
        seen.value = v;
        seen.code = code_of(m_cuts[f], v);
    }
    return seen.code;
}

bool ScoreMemo::make_key(const double* row, std::string& key, std::uint64_t& hash) {
    key.clear();
    std::uint64_t h = 0x9E3779B97F4A7C15ull;
    for (std::size_t f = 0; f < m_cuts.size(); ++f) {
        const double v = row[f];
        if (!std::isfinite(v)) return false;
        if (v == 0.0 || m_cuts[f].empty()) continue;  // most of a log row: the zero code, left out
        const std::uint32_t c = code(f, v);
        if (c == m_zero_code[f]) continue;
        const std::uint32_t part[2] = {static_cast<std::uint32_t>(f), c};
        key.append(reinterpret_cast<const char*>(part), sizeof part);
        h = mix(h ^ (static_cast<std::uint64_t>(f) << 32 | c));
    }
    hash = h;
    return true;
}

bool ScoreMemo::key_of(const double* row, std::size_t width, std::string& key, std::uint64_t& hash) {
    return active() && width == m_cuts.size() && make_key(row, key, hash);
}

std::optional<double> ScoreMemo::find_key(std::string_view key, std::uint64_t hash) {
    const double* known = m_memo.find(key, hash);
    if (known == nullptr) return std::nullopt;
    ++m_hits;
    return *known;
}

std::optional<double> ScoreMemo::find(const double* row, std::size_t width) {
    std::uint64_t hash = 0;
    if (!key_of(row, width, m_probe, hash)) return std::nullopt;
    return find_key(m_probe, hash);
}

Vector ScoreMemo::score(const Matrix& x, int threads) {
    if (!active() || static_cast<std::size_t>(x.cols()) != m_cuts.size()) return m_detector.score(x, threads);
    const Eigen::Index n = x.rows();
    Vector out(n);
    if (m_keys.size() < static_cast<std::size_t>(n)) {
        m_keys.resize(static_cast<std::size_t>(n));
        m_hashes.resize(static_cast<std::size_t>(n));
    }
    m_missing.clear();
    for (Eigen::Index r = 0; r < n; ++r) {
        std::string& key = m_keys[static_cast<std::size_t>(r)];
        std::uint64_t& hash = m_hashes[static_cast<std::size_t>(r)];
        if (!make_key(x.row(r).data(), key, hash)) return m_detector.score(x, threads);  // it names the bad value
        if (const double* known = m_memo.find(key, hash)) {
            out[r] = *known;
            ++m_hits;
        } else {
            m_missing.push_back(r);
        }
    }
    if (m_missing.empty()) return out;
    m_misses += m_missing.size();
    const auto k = static_cast<Eigen::Index>(m_missing.size());
    m_miss.resize(k, x.cols());
    for (Eigen::Index i = 0; i < k; ++i) m_miss.row(i) = x.row(m_missing[static_cast<std::size_t>(i)]);
    const Vector scored = m_detector.score(m_miss, threads);
    if (m_memo.size() + m_missing.size() > m_capacity) m_memo.clear();  // bounded: start over
    for (Eigen::Index i = 0; i < k; ++i) {
        const auto r = m_missing[static_cast<std::size_t>(i)];
        out[r] = scored[i];
        m_memo.insert(m_keys[static_cast<std::size_t>(r)], m_hashes[static_cast<std::size_t>(r)], scored[i]);
    }
    return out;
}

}  // namespace logad::model
