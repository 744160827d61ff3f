#include <logad/present/sparkline.hpp>

#include <algorithm>
#include <array>
#include <limits>

namespace logad::present {

void Sparkline::add(std::int64_t x, std::uint64_t weight) {
    if (!m_started) {
        m_started = true;
        m_lo = m_min = m_max = x;
    }
    const auto n = static_cast<std::int64_t>(m_counts.size());
    // The range [m_lo, m_lo + n * m_width) doubles towards x until it holds it.
    while (x >= m_lo + n * m_width && m_width < std::numeric_limits<std::int64_t>::max() / (4 * n)) widen_up();
    while (x < m_lo && m_width < std::numeric_limits<std::int64_t>::max() / (4 * n)) widen_down();
    x = std::clamp(x, m_lo, m_lo + n * m_width - 1);
    m_counts[bin_of(x)] += weight;
    m_min = std::min(m_min, x);
    m_max = std::max(m_max, x);
}

// New range [lo, lo + 2nw): old bins 2i and 2i+1 become bin i of the lower half.
void Sparkline::widen_up() {
    const std::size_t n = m_counts.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t merged = (2 * i < n ? m_counts[2 * i] : 0) + (2 * i + 1 < n ? m_counts[2 * i + 1] : 0);
        m_counts[i] = i < (n + 1) / 2 ? merged : 0;
    }
    m_width *= 2;
}

// New range [lo - nw, lo + nw): old bins 2i and 2i+1 become bin n/2 + i of the upper half.
void Sparkline::widen_down() {
    const std::size_t n = m_counts.size();
    std::vector<std::uint64_t> merged(n, 0);
    const std::size_t half = n / 2;
    for (std::size_t i = 0; i < n; ++i) merged[std::min(n - 1, half + i / 2)] += m_counts[i];
    m_lo -= static_cast<std::int64_t>(2 * half) * m_width;
    m_counts = std::move(merged);
    m_width *= 2;
}

std::uint64_t Sparkline::peak() const { return *std::max_element(m_counts.begin(), m_counts.end()); }

std::string Sparkline::render() const {
    if (!m_started) return {};
    static constexpr std::array<const char*, 8> k_bars = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    const std::uint64_t top = peak();
    std::string s;
    for (std::size_t i = bin_of(m_min); i <= bin_of(m_max); ++i) {
        const std::uint64_t c = m_counts[i];
        const std::size_t level = c == 0 || top == 0 ? 0 : (c * 7 + top - 1) / top;  // 1 to 7, rounded up
        s += k_bars[std::min<std::size_t>(level, 7)];
    }
    return s;
}

}  // namespace logad::present
