#include <logad/featurize/param_slot.hpp>

#include <algorithm>
#include <cmath>

namespace logad::featurize {
namespace {

constexpr std::size_t k_sketch = 128;           // hashes kept to estimate distinct values (about 9% error)
constexpr std::uint64_t k_min_pairs = 9;        // consecutive values before a slot can be a counter
constexpr std::uint64_t k_min_id_values = 20;   // numbers before a slot can be an id
constexpr std::size_t k_min_even_sample = 100;  // sample before "spread evenly" can be judged

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_hex_letter(char c) noexcept { return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Digit groups joined by single separators: 2005.09.26, 1.2.3, 12:30:01,747, 2005-09-26T10:00Z.
// Three groups or more, or two joined by a colon (a time of day); a decimal `3.14` is not.
bool date_or_version_shape(std::string_view s) noexcept {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (!s.empty() && s.back() == 'Z') s.remove_suffix(1);
    int groups = 0;
    bool colon = false;
    std::size_t i = 0;
    while (i < s.size()) {
        if (!is_digit(s[i])) return false;
        while (i < s.size() && is_digit(s[i])) ++i;
        ++groups;
        if (i == s.size()) break;
        const char sep = s[i];
        if (sep != '.' && sep != '-' && sep != ':' && sep != '/' && sep != 'T' && sep != ',' && sep != '_') return false;
        colon |= sep == ':';
        if (++i == s.size()) return false;
    }
    return groups >= 3 || (groups == 2 && colon);
}

// 0x-prefixed, or 8+ characters of hex digits with both a digit and a letter a-f.
bool hex_shape(std::string_view s, bool& long_hex) noexcept {
    bool prefixed = false;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        prefixed = true;
    }
    bool digit = false, letter = false;
    for (char c : s) {
        if (is_digit(c)) digit = true;
        else if (is_hex_letter(c)) letter = true;
        else return false;
    }
    long_hex = s.size() >= 16;
    return prefixed || (s.size() >= 8 && digit && letter);
}

// An integer written as digits only (a sign allowed): how many digits, or 0.
std::size_t integer_digits(std::string_view s) noexcept {
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty() || !std::all_of(s.begin(), s.end(), is_digit)) return 0;
    return s.size();
}

std::uint64_t value_hash(std::string_view s) noexcept {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, then a splitmix64 finish for uniform bits
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

// Values spread evenly between their smallest and largest (random ids, ephemeral ports), not
// clustered around a typical value as measurements are: the sample's quantiles sit where a
// uniform distribution puts them, within sampling error.
bool spread_evenly(const std::vector<double>& sorted) {
    if (sorted.size() < k_min_even_sample) return false;
    const double lo = sorted.front(), hi = sorted.back();
    if (!(hi > lo)) return false;
    const double n = static_cast<double>(sorted.size());
    const double tolerance = 0.05 + 0.5 / std::sqrt(n);
    for (double q : {0.1, 0.25, 0.5, 0.75, 0.9}) {
        const double x = (sorted[static_cast<std::size_t>(q * (n - 1))] - lo) / (hi - lo);
        if (std::abs(x - q) > tolerance) return false;
    }
    return true;
}

// Whether a slot set far more records (values beyond the range of all before them) than the
// values of one distribution would. In n exchangeable values (drawn from one distribution,
// whatever its shape, in any order) the i-th is a new maximum with probability 1/i and a new
// minimum likewise, so records number about 2 H(n) (H the harmonic number, about ln n + 0.58),
// with a variance below that; more than four standard deviations above is drift (process ids
// that grow as processes start, sequence numbers interleaved), and a range learnt from such
// values would be left by the next ones. Ties set no record, so repeated values only lower the
// count.
bool drifts(std::uint64_t records, std::uint64_t n) noexcept {
    const double x = static_cast<double>(n);
    const double harmonic = std::log(x) + 0.5772156649 + 0.5 / x;  // H(n), within 1% from n = 2
    const double expected = 2 * harmonic;
    return static_cast<double>(records) > expected + 4 * std::sqrt(expected);
}

// A number that reads as the event's own time in epoch seconds, milliseconds or microseconds
// (within a day, for logs written in another zone): a timestamp, whatever its shape.
bool near_event_time(double v, const Record& at) noexcept {
    if (!at.has_time() || at.ts_ms < 100'000'000'000) return false;  // before 1973: no wall-clock time
    constexpr double k_day_ms = 86400000.0;
    const auto ts = static_cast<double>(at.ts_ms);
    for (double to_ms : {1000.0, 1.0, 0.001})
        if (std::abs(v * to_ms - ts) <= k_day_ms) return true;
    return false;
}

constexpr std::string_view k_kind_names[] = {"measurement", "counter", "id", "date", "hash"};

}  // namespace

std::string_view slot_kind_name(SlotKind kind) noexcept { return k_kind_names[static_cast<int>(kind)]; }

std::optional<SlotKind> parse_slot_kind(std::string_view name) noexcept {
    for (std::size_t i = 0; i < std::size(k_kind_names); ++i)
        if (k_kind_names[i] == name) return static_cast<SlotKind>(i);
    return {};
}

std::optional<double> counter_rate(CounterMark& mark, double value, const Record& at, RatePer per) noexcept {
    const CounterMark here{true, value, at.ts_ms, at.line};
    if (!mark.set || value < mark.value) {  // the first reading, or a reset
        mark = here;
        return {};
    }
    double interval = 0;
    if (per == RatePer::second) {
        if (!at.has_time() || mark.ts_ms == k_no_time) {
            mark = here;
            return {};
        }
        interval = static_cast<double>(at.ts_ms - mark.ts_ms) / 1000.0;
    } else {
        interval = static_cast<double>(at.line) - static_cast<double>(mark.line);
    }
    if (interval == 0) return {};  // the same instant: measure over the next real interval
    const double rate = (value - mark.value) / interval;
    mark = here;
    if (interval < 0) return {};  // time or lines went back (another file): start over
    return rate;
}

void SlotEvidence::remember(std::uint64_t hash) {
    if (m_smallest.size() == k_sketch && hash >= m_smallest.front()) return;  // most values, once full: O(1)
    if (std::find(m_smallest.begin(), m_smallest.end(), hash) != m_smallest.end()) return;
    if (m_smallest.size() < k_sketch) {
        m_smallest.push_back(hash);
        std::push_heap(m_smallest.begin(), m_smallest.end());
    } else if (hash < m_smallest.front()) {
        std::pop_heap(m_smallest.begin(), m_smallest.end());
        m_smallest.back() = hash;
        std::push_heap(m_smallest.begin(), m_smallest.end());
    }
}

std::uint64_t SlotEvidence::distinct() const {
    if (m_smallest.size() < k_sketch) return m_smallest.size();
    // k-minimum values: the k-th smallest of n uniform hashes sits near k / n of the range
    const double kth = static_cast<double>(m_smallest.front()) / 18446744073709551616.0;
    const double estimate = static_cast<double>(k_sketch - 1) / std::max(kth, 1e-18);
    return static_cast<std::uint64_t>(std::min(estimate, static_cast<double>(m_seen)));
}

void SlotEvidence::add(const Param& p, std::optional<double> number, const Record& at) {
    const std::string_view v = p.value;
    ++m_seen;
    remember(value_hash(v));
    bool long_hex = false;
    const bool textual = p.kind == ParamKind::ip || p.kind == ParamKind::path || p.kind == ParamKind::url ||
                         p.kind == ParamKind::email;
    if (p.kind == ParamKind::uuid || (!textual && hex_shape(v, long_hex))) {
        ++m_hexish;
        m_long_hex += p.kind == ParamKind::uuid || long_hex;
    } else if (!textual && (p.kind == ParamKind::time || date_or_version_shape(v))) {
        ++m_shaped;
    }
    if (!number) return;
    ++m_numeric;
    if (*number > 1e8 && near_event_time(*number, at)) ++m_shaped;  // small numbers are never read as times
    if (const std::size_t digits = integer_digits(v); digits > 0) {
        ++m_integers;
        const bool padded = digits >= 2 && v[v.size() - digits] == '0';
        m_long_digits += digits >= 10 || padded;
    }
    if (m_numeric == 1) {
        m_min = m_max = *number;
    } else if (*number > m_max) {
        m_max = *number;
        ++m_records;
    } else if (*number < m_min) {
        m_min = *number;
        ++m_records;
    }
    if (m_has_last) {
        if (*number > m_last) ++m_ups;
        else if (*number < m_last) ++m_downs;
        else ++m_equal;
    }
    m_has_last = true;
    m_last = *number;
}

SlotKind SlotEvidence::kind(const std::vector<double>& sample) const {
    const std::uint64_t n = m_seen;
    if (n == 0) return SlotKind::measurement;
    if (2 * m_shaped >= n) return SlotKind::date;
    if (2 * m_hexish >= n) return 2 * m_long_hex >= n && 2 * distinct() >= n ? SlotKind::hash : SlotKind::id;
    if (2 * m_numeric < n) return SlotKind::id;
    const std::uint64_t pairs = m_ups + m_downs + m_equal;
    if (pairs >= k_min_pairs && 5 * m_ups >= 4 * (m_ups + m_downs) && 2 * m_ups >= pairs) return SlotKind::counter;
    const bool rarely_repeat = 5 * distinct() >= 4 * m_numeric;  // allows for the sketch's error
    if (m_numeric >= k_min_id_values && 10 * m_integers >= 9 * m_numeric && rarely_repeat &&
        (2 * m_long_digits >= m_numeric || spread_evenly(sample)))
        return SlotKind::id;
    if (m_numeric >= k_min_id_values && 10 * m_integers >= 9 * m_numeric && drifts(m_records, m_numeric))
        return SlotKind::id;
    return SlotKind::measurement;
}

}  // namespace logad::featurize
