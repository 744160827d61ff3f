#pragma once
// What a parameter slot (template, position) holds, decided from evidence gathered while
// training, and how a counter's rate is read along a stream.
//
// Only measurements are range-checked on their values; a counter is range-checked on its
// rate (increase per second, or per line without timestamps), and a drop is a reset, not an
// anomaly. Ids, dates/versions and hashes are never range-checked. The evidence is the
// values' shapes and statistics, never words:
//   date     most values are digit groups joined by . - : / (2005.09.26, 1.2.3, 12:30:01), or
//            numbers that read as the event's own time in epoch s, ms or µs (1514044320000)
//   hash     most values are long hex strings (digits and a-f) that rarely repeat
//   id       most values are not numbers, or are hex; or integers that rarely repeat and are
//            long digit strings, zero-padded, or spread evenly over their range (no cluster);
//            or integers that keep going beyond all the values before them, as process ids
//            do, far more often than values drawn from one distribution would: the training
//            range of such a slot would not hold for the values to come
//   counter  numbers that mostly increase from one occurrence to the next
//   measurement  the rest: numbers with a unit, fractions, values that cluster and repeat
#include <logad/record.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace logad::featurize {

enum class SlotKind : std::uint8_t { measurement, counter, id, date, hash };
std::string_view slot_kind_name(SlotKind kind) noexcept;
std::optional<SlotKind> parse_slot_kind(std::string_view name) noexcept;

// How a counter's rate is measured: per second of event time, or per input line.
enum class RatePer : std::uint8_t { second, line };

// A counter's last reading along a stream.
struct CounterMark {
    bool set = false;
    double value = 0;
    std::int64_t ts_ms = k_no_time;
    std::uint64_t line = 0;
};

// Moves `mark` to this occurrence and returns the counter's rate since the last one: only for
// an increase over a positive interval. A decrease is a reset (the mark moves, no rate); an
// occurrence at the same instant keeps the old mark so the next one spans a real interval.
std::optional<double> counter_rate(CounterMark& mark, double value, const Record& at, RatePer per) noexcept;

// The evidence of one slot, gathered online in bounded memory: counts, a k-minimum-values
// sketch of distinct values, and the order of consecutive values.
class SlotEvidence {
public:
    // `number` is param_number(p) when it has one.
    void add(const Param& p, std::optional<double> number, const Record& at);
    void end_segment() { m_has_last = false; }
    // `sample` is a uniform sample of the slot's numbers, sorted.
    SlotKind kind(const std::vector<double>& sample) const;
    std::uint64_t distinct() const;  // estimated distinct values (exact up to the sketch's size)
    std::uint64_t seen() const noexcept { return m_seen; }
    std::uint64_t numeric() const noexcept { return m_numeric; }

private:
    void remember(std::uint64_t hash);

    std::uint64_t m_seen = 0, m_numeric = 0, m_integers = 0, m_shaped = 0 /* dates and times */, m_hexish = 0, m_long_hex = 0,
                  m_long_digits = 0;
    std::uint64_t m_ups = 0, m_downs = 0, m_equal = 0;
    std::uint64_t m_records = 0;  // numbers beyond the range of all those before them
    double m_min = 0, m_max = 0;  // that range
    bool m_has_last = false;
    double m_last = 0;
    std::vector<std::uint64_t> m_smallest;  // the k smallest value hashes, a max-heap
};

}  // namespace logad::featurize
