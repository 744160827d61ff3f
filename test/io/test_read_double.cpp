// io's read_double against std::from_chars, its oracle: the same end, the same error and the same
// bits, on millions of numbers as tables write them, random digit strings, halfway cases, the ends
// of the double range and text that is no number at all.
#include "../../lib/io/read_double.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

using logad::io::read_double;
using logad::io::read_double_fast;

namespace {

std::uint64_t bits_of(double d) {
    std::uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return b;
}

// The first difference from std::from_chars, or "" when there is none.
std::string difference(const std::string& s) {
    const char* first = s.data();
    const char* last = first + s.size();
    double want = 1234.5, got = 1234.5;
    const auto w = std::from_chars(first, last, want);
    const auto g = read_double(first, last, got);
    if (w.ptr != g.ptr) return "end differs for '" + s + "'";
    if (w.ec != g.ec) return "error differs for '" + s + "'";
    if (bits_of(want) != bits_of(got)) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "' reads %.17g, from_chars %.17g", got, want);
        return "value differs for '" + s + buf;
    }
    return "";
}

// Counts the strings checked and those the fast path took; fails on the first difference.
struct Tally {
    long checked = 0;
    long fast = 0;
    void check(const std::string& s) {
        const std::string d = difference(s);
        if (!d.empty()) FAIL(d);
        double v;
        fast += read_double_fast(s.data(), s.data() + s.size(), v) != nullptr;
        ++checked;
    }
};

double random_finite(std::mt19937_64& rng) {
    for (;;) {
        const std::uint64_t b = rng();
        double d;
        std::memcpy(&d, &b, sizeof d);
        if (std::isfinite(d)) return d;
    }
}

std::string printed(const char* format, int precision, double d) {
    char buf[512];
    std::snprintf(buf, sizeof buf, format, precision, d);
    return buf;
}

}  // namespace

TEST_CASE("read_double reads doubles as printed, at every precision, as from_chars does", "[io]") {
    std::mt19937_64 rng(19);
    std::normal_distribution<double> normal(0.0, 3.0);
    Tally t;
    for (int i = 0; i < 400000; ++i) {
        // Table-like values (as %.17g writes them) and any bit pattern at all.
        const double table_value = normal(rng) * std::pow(10.0, static_cast<int>(rng() % 9) - 4);
        const double any = random_finite(rng);
        for (double d : {table_value, any}) {
            t.check(printed("%.*g", 17, d));
            t.check(printed("%.*g", 1 + static_cast<int>(rng() % 19), d));
            t.check(printed("%.*e", static_cast<int>(rng() % 20), d));
            char shortest[64];
            const auto r = std::to_chars(shortest, shortest + sizeof shortest, d);
            t.check(std::string(shortest, r.ptr));
        }
        t.check(printed("%.*f", static_cast<int>(rng() % 12), table_value));
    }
    INFO(t.fast << " of " << t.checked << " taken by the fast path");
    CHECK(t.checked == 3600000);
    CHECK(t.fast > t.checked * 9 / 10);  // the speed is there, not in the fallback
}

TEST_CASE("read_double reads random digit strings as from_chars does", "[io]") {
    std::mt19937_64 rng(4);
    Tally t;
    auto digits = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
        return s;
    };
    for (int i = 0; i < 1000000; ++i) {
        std::string s;
        if (rng() % 4 == 0) s += '-';
        const int zeros = rng() % 8 == 0 ? static_cast<int>(rng() % 25) : 0;
        s += std::string(static_cast<std::size_t>(zeros), '0');
        s += digits(1 + static_cast<int>(rng() % 22));
        if (rng() % 3 != 0) {
            const std::size_t fraction_zeros = rng() % 5 == 0 ? rng() % 20 : 0;
            s += '.' + std::string(fraction_zeros, '0') + digits(static_cast<int>(rng() % 22));
        }
        if (rng() % 2 == 0) {
            s += rng() % 2 ? 'e' : 'E';
            const unsigned sign = rng() % 3;
            if (sign == 1) s += '-';
            if (sign == 2) s += '+';
            s += std::to_string(rng() % (rng() % 4 == 0 ? 100000 : 400));
        }
        static const char* const tails[] = {"", "", ",", " ", "\n", "x", ".5", "e", "e+", "e-1", "0", ",1.5"};
        s += tails[rng() % (sizeof tails / sizeof *tails)];
        t.check(s);
    }
    INFO(t.fast << " of " << t.checked << " taken by the fast path");
    CHECK(t.fast > t.checked / 3);
}

TEST_CASE("read_double rounds halfway cases to even as from_chars does", "[io]") {
    std::mt19937_64 rng(7);
    Tally t;
    for (int i = 0; i < 300000; ++i) {
        // An odd 54-bit integer times 2^k is halfway between two doubles: as an integer and, for
        // k < 0, as the exact decimal fraction (at most 19 significant digits are kept in reach).
        const std::uint64_t odd = ((std::uint64_t(1) << 53) | (rng() & ((std::uint64_t(1) << 53) - 1))) | 1;
        const int k = static_cast<int>(rng() % 11);
        const unsigned __int128 value = static_cast<unsigned __int128>(odd) << k;
        if (value < static_cast<unsigned __int128>(10000000000000000000ull)) {
            t.check(std::to_string(static_cast<std::uint64_t>(value)));
            t.check(std::to_string(static_cast<std::uint64_t>(value)) + "000");
            t.check(std::to_string(static_cast<std::uint64_t>(value) - 1));
            t.check(std::to_string(static_cast<std::uint64_t>(value) + 1));
        }
        // w * 10^q halfway for q > 0: w * 5^q odd with 54 bits.
        const int q = 1 + static_cast<int>(rng() % 23);
        unsigned __int128 p5 = 1;
        for (int j = 0; j < q; ++j) p5 *= 5;
        const unsigned __int128 low = (static_cast<unsigned __int128>(1) << 53) / p5 + 1;
        const unsigned __int128 high = (static_cast<unsigned __int128>(1) << 54) / p5;
        if (high > low) {
            std::uint64_t w = static_cast<std::uint64_t>(low + rng() % static_cast<std::uint64_t>(high - low)) | 1;
            t.check(std::to_string(w) + "e" + std::to_string(q));
            t.check(std::to_string(w) + "e" + std::to_string(q) + "1");  // a wholly different exponent
        }
        // Just above and below a halfway point: 17 to 19 digits of its exact decimal.
        const double d = random_finite(rng);
        const double next = std::nextafter(d, std::numeric_limits<double>::infinity());
        if (std::isfinite(next)) {
            const long double mid = (static_cast<long double>(d) + next) / 2;
            char buf[128];
            std::snprintf(buf, sizeof buf, "%.*Le", 16 + static_cast<int>(rng() % 3), mid);
            t.check(buf);
        }
    }
    CHECK(t.checked > 600000);
}

TEST_CASE("read_double at the ends of the double range and on odd text matches from_chars", "[io]") {
    Tally t;
    for (const char* s :
         {"0", "-0", "0.0", "-0.0", "0e0", "0e-999", "0e999", "-0e-99999", "00000", "0000000000000000000000001.5",
          "1", "-1", "1e23", "8.589973e9", "9007199254740993", "9007199254740992", "9007199254740991",
          "18446744073709551615", "18446744073709551616", "9999999999999999999", "10000000000000000000",
          "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
          "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9e-324",
          "5e-324", "2e-324", "1e-400", "1e-342", "1e-343", "9.99999999999999999e-309", "1e-307", "1e-22", "1e22",
          "1e-23", "123456789012345678e-10", "0.1", "0.2", "0.3", "3.14159265358979323846", "1.", ".5", "-.5",
          "1e", "1e+", "1e-", "1E5", "1e+05", "+1", "-", "", " 1", "1 ", "inf", "-inf", "infinity", "nan",
          "NaN", "-nan", "1.5.3", "1e5e3", "0x1p3", "1,5", "12345678,9", "1234567890123456789012345",
          "0.0000000000000000000000000000000000000000001", "1e00000000000000000001", "1e99999", "1e-99999"})
        t.check(s);
    // Every power of ten and 1.5 and 7 times it, from the smallest to past the largest.
    for (int e = -350; e <= 320; ++e)
        for (const char* m : {"1", "1.5", "7", "9.999999999999999999", "4.940656458412465441"})
            t.check(std::string(m) + "e" + std::to_string(e));
    // Bytes that are not digits inside an 8-byte chunk (the test for eight digits at once).
    std::mt19937_64 rng(11);
    const std::string alphabet = std::string("0123456789.eE+-x ,:/\x7f\xfa\xff\x2f\x3a", 25);
    for (int i = 0; i < 300000; ++i) {
        std::string s;
        const int n = 1 + static_cast<int>(rng() % 30);
        for (int j = 0; j < n; ++j)
            s += rng() % 3 ? static_cast<char>('0' + rng() % 10) : alphabet[rng() % alphabet.size()];
        t.check(s);
    }
}
