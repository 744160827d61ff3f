#pragma once
// logad's one source of random numbers: splitmix64 to expand a seed, xoshiro256** (Blackman &
// Vigna) as the generator. Written out rather than taken from <random> because the standard
// distributions differ between standard libraries: a model must come out the same from its seed
// on every platform, and scripts/torch_autoencoder.py reproduces these few lines exactly.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

namespace logad::util {

// Advances `state` and returns the next number; alone, a generator for a single state word.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Random {
public:
    explicit Random(std::uint64_t seed) noexcept {
        for (auto& s : m_s) s = splitmix64(seed);
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n), by a 128-bit multiply-shift (Lemire, without the rejection step:
    // its bias is below n / 2^64).
    std::uint64_t below(std::uint64_t n) noexcept {
        return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }

    // Uniform integer in [0, n) for n < 2^32 from the high 32 bits: biased below n / 2^32, and
    // cheap to reproduce in Python (the autoencoder's shuffles).
    std::size_t below_32(std::size_t n) noexcept { return static_cast<std::size_t>(((next() >> 32) * n) >> 32); }

    // Standard normal by Box-Muller, no cached second value so the stream stays simple.
    double normal() noexcept {
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    // Fisher-Yates from the back, drawing with below_32.
    template <typename T>
    void shuffle_32(std::vector<T>& v) noexcept {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below_32(i)]);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4];
};

}  // namespace logad::util
