#pragma once
// Scores rows through a detector, remembering each score under what decided it, for detectors
// whose score depends only on where each value of a row lies among per-feature split points
// (the axis-parallel isolation forest's split thresholds). A row's key is, per feature, the
// number of split points at or below its value; rows with the same key take the same branch at
// every node, so they score identically and the second one costs a lookup instead of a walk
// through every tree. Log lines repeat those intervals often: a template's rows differ in a
// message length or a time gap that mostly falls between the same two split points.
//
// Exact: score() returns what the detector's score() returns, to the last bit. Detectors without
// split points pass through. Not thread-safe: one per scoring stream. Memory is bounded: the
// memo starts over when it holds `capacity` keys.
#include <logad/model/detector.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace logad::model {

// Scores by interval key: open addressing over a power-of-two array of slots, the keys' bytes
// in one arena, so a lookup hashes once (while the key is built) and allocates nothing.
class KeyScores {
public:
    explicit KeyScores(std::size_t capacity);  // keys held at most
    const double* find(std::string_view key, std::uint64_t hash) const noexcept;
    void insert(std::string_view key, std::uint64_t hash, double score);  // kept if already there
    void clear() noexcept;
    std::size_t size() const noexcept { return m_size; }

private:
    struct Slot {  // 24 bytes: the table is read at random, so its size is its speed
        static constexpr std::uint32_t k_free = ~std::uint32_t{0};
        std::uint64_t hash = 0;
        std::uint32_t offset = k_free, length = 0;
        double score = 0;
        bool used() const noexcept { return offset != k_free; }
    };
    std::size_t slot_of(std::string_view key, std::uint64_t hash) const noexcept;  // its slot or a free one
    std::vector<Slot> m_slots;
    std::string m_arena;
    std::size_t m_size = 0;
};

class ScoreMemo {
public:
    explicit ScoreMemo(const Detector& detector, std::size_t capacity = std::size_t(1) << 14);

    Vector score(const Matrix& x, int threads);
    // The score of one row when the memo holds its key; nothing when it does not, or when the
    // row is not one the memo can judge (score() then says what is wrong with it).
    std::optional<double> find(const double* row, std::size_t width);

    // find() in two halves, so the key can be made elsewhere (`score --threads` makes it a block
    // ahead, with another memo of the same detector): the row's key, false when the memo cannot
    // judge the row; then the score under a key, when the memo holds it.
    bool key_of(const double* row, std::size_t width, std::string& key, std::uint64_t& hash);
    std::optional<double> find_key(std::string_view key, std::uint64_t hash);

    bool active() const noexcept { return !m_cuts.empty(); }
    std::uint64_t hits() const noexcept { return m_hits; }
    std::uint64_t misses() const noexcept { return m_misses; }

private:
    // Fills `key` for the row; false when a value is not finite (the detector says what is wrong).
    bool make_key(const double* row, std::string& key, std::uint64_t& hash);
    // The code of value v of feature f, from the values lately seen when it is one of them: a
    // template's rows repeat most values exactly, and a lookup is cheaper than the search.
    std::uint32_t code(std::size_t f, double v);

    const Detector& m_detector;
    std::vector<std::vector<double>> m_cuts;  // per feature, sorted
    std::vector<std::uint32_t> m_zero_code;   // the key part of the value 0, left out of keys
    struct SeenValue {
        double value = std::numeric_limits<double>::quiet_NaN();  // equal to no value
        std::uint32_t code = 0;
    };
    std::vector<SeenValue> m_seen;            // per feature, k_seen_slots by the value's bits
    std::size_t m_capacity;
    KeyScores m_memo;
    std::vector<std::string> m_keys;          // per row of the current block
    std::vector<std::uint64_t> m_hashes;      // of m_keys
    std::string m_probe;                      // find()'s key
    std::vector<Eigen::Index> m_missing;      // rows of the block not in the memo
    Matrix m_miss;
    std::uint64_t m_hits = 0, m_misses = 0;
};

}  // namespace logad::model
