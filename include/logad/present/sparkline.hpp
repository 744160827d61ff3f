#pragma once
// Counts over a range that is not known in advance (event times or line numbers of a stream),
// in a fixed number of bins: when a value falls outside, the bin width doubles and neighbouring
// bins merge, so memory stays constant however long the stream runs.
#include <logad/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace logad::present {

class LOGAD_API Sparkline {
public:
    explicit Sparkline(std::size_t bins = 48) : m_counts(bins, 0) {}
    // Counts `weight` at `x`; weight 0 only stretches the covered range (the input's extent).
    void add(std::int64_t x, std::uint64_t weight = 1);
    bool empty() const { return !m_started; }
    std::int64_t first() const { return m_min; }  // smallest and largest x seen
    std::int64_t last() const { return m_max; }
    std::int64_t bin_width() const { return m_width; }
    std::uint64_t peak() const;
    // One character per bin from the bin of first() to that of last(): ▁ for none, then ▂ to █
    // in proportion to the peak (any count at all shows above the floor).
    std::string render() const;

private:
    std::size_t bin_of(std::int64_t x) const { return static_cast<std::size_t>((x - m_lo) / m_width); }
    void widen_up();
    void widen_down();

    std::vector<std::uint64_t> m_counts;
    std::int64_t m_lo = 0;
    std::int64_t m_width = 1;
    std::int64_t m_min = 0, m_max = 0;
    bool m_started = false;
};

}  // namespace logad::present
