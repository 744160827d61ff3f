#include "read_double.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace logad::io {
// In a namespace of their own: a unity batch compiles this file with other io files, whose
// anonymous namespaces would meet these names.
namespace decimal {
namespace {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

// 5^q for q in [k_min_q, k_max_q] as its top 128 bits, truncated: 5^q = (hi:lo + f) * 2^exp2 with
// 0 <= f < 1. Below 10^-342 every 19-digit decimal is zero as a double, above 10^308 infinite.
struct PowerOfFive {
    u64 hi = 0;
    u64 lo = 0;
    int exp2 = 0;
    int bias = 0;  // exp2 + q + 1213: the biased exponent of a product's significand, less its shifts
};
constexpr int k_min_q = -342;
constexpr int k_max_q = 308;

// An unsigned integer of up to 36 x 32 bits, least significant limb first: enough for 2^1024 and
// 5^308. Only what building the table needs, at compile time.
struct SmallBig {
    std::array<std::uint32_t, 36> limb{};
    constexpr void multiply(std::uint32_t m) {
        u64 carry = 0;
        for (auto& l : limb) {
            const u64 x = u64(l) * m + carry;
            l = static_cast<std::uint32_t>(x);
            carry = x >> 32;
        }
    }
    constexpr void divide(std::uint32_t d) {
        u64 rest = 0;
        for (int i = static_cast<int>(limb.size()) - 1; i >= 0; --i) {
            const u64 x = (rest << 32) | limb[static_cast<std::size_t>(i)];
            limb[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(x / d);
            rest = x % d;
        }
    }
    constexpr std::uint32_t at(int i) const {
        return i >= 0 && i < static_cast<int>(limb.size()) ? limb[static_cast<std::size_t>(i)] : 0;
    }
    constexpr int bit_length() const {
        for (int i = static_cast<int>(limb.size()) - 1; i >= 0; --i)
            if (const std::uint32_t l = limb[static_cast<std::size_t>(i)]; l != 0) return 32 * i + std::bit_width(l);
        return 0;
    }
    // Bits [from, from + 64) as a number; those below bit 0 are zeros.
    constexpr u64 bits(int from) const {
        if (from < 0) return from <= -64 ? 0 : bits(0) << -from;
        const int i = from / 32;
        const u128 window = u128(at(i)) | (u128(at(i + 1)) << 32) | (u128(at(i + 2)) << 64);
        return static_cast<u64>(window >> (from % 32));
    }
    // The top 128 bits (zeros appended below a shorter number); the number is (that + f) * 2^exp2.
    constexpr PowerOfFive top() const {
        const int length = bit_length();
        return {bits(length - 64), bits(length - 128), length - 128};
    }
};

constexpr std::array<PowerOfFive, k_max_q - k_min_q + 1> make_powers_of_five() {
    std::array<PowerOfFive, k_max_q - k_min_q + 1> table{};
    SmallBig up;  // 5^q
    up.limb[0] = 1;
    for (int q = 0; q <= k_max_q; ++q) {
        PowerOfFive p = up.top();
        p.bias = p.exp2 + q + 1213;
        table[static_cast<std::size_t>(q - k_min_q)] = p;
        up.multiply(5);
    }
    // 5^-n = 2^-1024 * 2^1024 / 5^n; floor(2^1024 / 5^n) has at least 229 bits for n <= 342, so its
    // top 128 bits truncated are those of 2^1024 / 5^n truncated (a floor of a floor).
    SmallBig down;  // floor(2^1024 / 5^n)
    down.limb[32] = 1;
    for (int n = 1; n <= -k_min_q; ++n) {
        down.divide(5);
        PowerOfFive p = down.top();
        p.exp2 -= 1024;
        p.bias = p.exp2 - n + 1213;
        table[static_cast<std::size_t>(-n - k_min_q)] = p;
    }
    return table;
}

constexpr auto k_powers_of_five = make_powers_of_five();
static_assert(k_powers_of_five[-k_min_q].hi == u64(1) << 63 && k_powers_of_five[-k_min_q].exp2 == -127);
static_assert(k_powers_of_five[-k_min_q + 1].hi == u64(5) << 61);

// 10^0 .. 10^22, each exact as a double.
constexpr double k_exact_powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// Zero bytes where `chunk` (8 bytes, little-endian) holds an ASCII digit, a non-zero byte at least
// where the first non-digit is (bytes after that one may be anything).
u64 non_digits(u64 chunk) {
    constexpr u64 high_nibbles = 0xF0F0F0F0F0F0F0F0;
    return ((chunk & high_nibbles) | (((chunk + 0x0606060606060606) & high_nibbles) >> 4)) ^ 0x3333333333333333;
}

// The value of eight digits less '0' each, the first the most significant: pairs, then fours,
// then all eight.
u64 eight_digit_value(u64 digits) {
    digits = (digits * (10 * 256 + 1)) >> 8;
    digits = ((digits & 0x00FF00FF00FF00FF) * (100 * 65536 + 1)) >> 16;
    return ((digits & 0x0000FFFF0000FFFF) * (10000 * (u64(1) << 32) + 1)) >> 32;
}

constexpr u64 k_powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Appends the digits at p to w (which may wrap when there are more than 19: the caller checks),
// eight at a time while eight bytes remain, the run's end found in the same word.
inline const char* take_digits(const char* p, const char* end, u64& w) {
    while (end - p >= 8) {
        u64 chunk;
        std::memcpy(&chunk, p, 8);
        const u64 stop = non_digits(chunk);
        const u64 digits = chunk - 0x3030303030303030;  // borrows only run into later bytes
        if (stop == 0) {
            w = w * 100000000 + eight_digit_value(digits);
            p += 8;
            continue;
        }
        const int n = std::countr_zero(stop) / 8;  // digits before the first non-digit
        if (n == 0) return p;
        // The n digits moved to the end of the word, zeros (as digit values) in front.
        w = w * k_powers_of_ten[n] + eight_digit_value(digits << (8 * (8 - n)));
        return p + n;
    }
    while (p != end && is_digit(*p)) w = w * 10 + static_cast<u64>(*p++ - '0');
    return p;
}

// Digits in [p, end) after the leading zeros (and the point among them).
long significant_digits(const char* p, const char* end) {
    while (p != end && (*p == '0' || *p == '.')) ++p;
    long n = 0;
    for (; p != end; ++p) n += *p != '.';
    return n;
}

// w * 10^q rounded to nearest, w != 0, or false where the 128-bit product cannot decide.
bool eisel_lemire(u64 w, long q, bool negative, double& value) {
    if (q < k_min_q || q > k_max_q) return false;
    const PowerOfFive& t = k_powers_of_five[static_cast<std::size_t>(q - k_min_q)];
    const int shift = __builtin_clzll(w);  // w != 0
    const u64 z = w << shift;
    // C = floor(z * (hi:lo) / 2^64) has 128 bits; the true z * 5^q / 2^exp2 / 2^64 is in [C, C + 2).
    // A rounding boundary is a C whose bits below the rounding bit are all zero (the rounding bit
    // 1; an exact one needs ties-to-even); near one the result is undecided and declined.
    // z * hi alone is C less under one unit of C's upper word, so the boundaries in reach of it
    // have an upper word 0, 1 or 2 above: unless its low 9 bits are 0x1FE, 0x1FF or 0, the
    // result follows from z * hi, and z * lo is needed only then (about 1 in 170).
    const u128 high = u128(z) * t.hi;
    u64 hi = static_cast<u64>(high >> 64);
    int top = static_cast<int>(hi >> 63);  // hi's top bit is at 63 or 62
    if (((hi + 2) & 0x1FF) <= 2) {
        const u64 low_carry = static_cast<u64>((u128(z) * t.lo) >> 64);
        const u64 lo = static_cast<u64>(high) + low_carry;
        hi += lo < low_carry;
        top = static_cast<int>(hi >> 63);
        const u64 rest_mask = (u64(1) << (9 + top)) - 1;  // below the 53 bits and the rounding bit
        const u64 rest = hi & rest_mask;
        if ((rest == 0 && lo <= 1) || (rest == rest_mask && lo >= ~u64(0) - 1)) return false;
    }
    // value = z * 2^-shift * 5^q * 2^q ~ hi * 2^(128 + exp2 + q - shift); the 53-bit significand,
    // rounded, is hi / 2^(10 + top), so its biased exponent is t.bias + top - shift.
    const int biased = t.bias + top - shift;
    if (biased < 1) return false;  // subnormal: rounded at fewer bits
    const u64 significand = ((hi >> (9 + top)) + 1) >> 1;  // 2^52 .. 2^53
    // The significand's leading bit adds one to the exponent field (two when rounding carried
    // it to 2^53, which is then the next power of two, as it should be).
    const u64 bits = (u64(biased - 1) << 52) + significand;
    if (bits >= 0x7FF0000000000000) return false;  // infinite
    const u64 signed_bits = bits | (u64(negative) << 63);
    std::memcpy(&value, &signed_bits, sizeof value);
    return true;
}

}  // namespace
}  // namespace decimal

const char* read_double_fast(const char* p, const char* end, double& value) noexcept {
    using namespace decimal;
    const bool negative = p != end && *p == '-';
    p += negative;
    const char* const start = p;
    u64 w = 0;
    while (p != end && is_digit(*p)) w = w * 10 + static_cast<u64>(*p++ - '0');  // usually short
    const char* const int_end = p;
    if (p == start) return nullptr;  // ".5", "inf", "nan", nothing
    long exponent = 0;
    if (p != end && *p == '.') {
        const char* const fraction = ++p;
        p = take_digits(p, end, w);
        if (p == fraction) return nullptr;  // "1."
        exponent = -(p - fraction);
    }
    if ((int_end - start) - exponent > 19 && significant_digits(start, p) > 19) return nullptr;
    if (p != end && (*p | 0x20) == 'e') {
        const char* e = p + 1;
        const bool minus = e != end && *e == '-';
        if (e != end && (*e == '-' || *e == '+')) ++e;
        const char* const digits = e;
        long x = 0;
        while (e != end && is_digit(*e) && e - digits < 5) x = x * 10 + (*e++ - '0');
        if (e == digits || (e != end && is_digit(*e))) return nullptr;  // "1e", or a long exponent
        exponent += minus ? -x : x;
        p = e;
    }
    if (w == 0) {
        value = negative ? -0.0 : 0.0;
        return p;
    }
    if (w <= u64(1) << 53 && exponent >= -22 && exponent <= 22) {
        // Both operands exact, so one correctly rounded operation (SSE2 doubles, round to nearest).
        double d = static_cast<double>(w);
        d = exponent < 0 ? d / k_exact_powers_of_ten[-exponent] : d * k_exact_powers_of_ten[exponent];
        value = negative ? -d : d;
        return p;
    }
    return eisel_lemire(w, exponent, negative, value) ? p : nullptr;
}

std::from_chars_result read_double(const char* first, const char* last, double& value) noexcept {
    if (const char* end = read_double_fast(first, last, value)) return {end, std::errc()};
    return std::from_chars(first, last, value);
}

}  // namespace logad::io
