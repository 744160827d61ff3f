#pragma once
// The parameters range checks judge, read along a stream: a measurement's value, or a
// counter's rate since its previous occurrence, each with the training range of that
// quantity. Ids, dates and hashes are never read. The line featurizer's param_out_of_range
// column and the param_range signal both read parameters through this, so they agree.
#include <logad/featurize/feature_space.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace logad::featurize {

struct ParamReading {
    std::size_t position = 0;             // 0-based
    double value = 0;                     // the value, or the counter's rate
    const ParamRange* slot = nullptr;
    const Spread* range = nullptr;        // the training range of `value`
    bool rate() const noexcept { return slot->kind == SlotKind::counter; }
};

// Slots with fewer training readings than this are not judged.
inline constexpr std::uint64_t k_min_judged = 10;

// Words for a reading's quantity: "param 2 of" or "rate of param 2 (per s) of".
std::string reading_subject(const ParamReading& r);

class ParamReader {
public:
    explicit ParamReader(const FeatureSpace& space) : m_space(space) {}
    // The judged parameters of `e`, in order (valid until the next call).
    const std::vector<ParamReading>& read(const Event& e);
    void reset() { m_marks.clear(); }  // another input: counters start over

private:
    const FeatureSpace& m_space;
    std::unordered_map<std::uint64_t, CounterMark> m_marks;  // counter slots only: bounded by the model
    std::vector<ParamReading> m_out;
};

}  // namespace logad::featurize
