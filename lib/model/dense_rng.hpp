#pragma once
// The autoencoder's random numbers: splitmix64 to expand the seed, xoshiro256** as the generator
// (Blackman & Vigna). Written out rather than taken from <random> because the standard
// distributions differ between standard libraries, and scripts/torch_autoencoder.py can
// reproduce these few lines exactly.
#include <cstdint>
#include <cstddef>
#include <vector>

namespace logad::model::dense {

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        for (auto& s : m_s) s = splitmix64(seed);
    }

    std::uint64_t next() {
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
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n) for n < 2^32 by a multiply-shift of the high 32 bits: its bias
    // (below n / 2^32) does not matter for shuffling, and it is cheap to reproduce in Python.
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(((next() >> 32) * n) >> 32); }

    // Fisher-Yates, from the back.
    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

    static std::uint64_t splitmix64(std::uint64_t& state) {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4];
};

}  // namespace logad::model::dense
