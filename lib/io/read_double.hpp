#pragma once
// A decimal number to double, as std::from_chars(first, last, value) reads it (general format),
// bit for bit and with the same end pointer and error, only faster on the common forms: tables
// hold millions of numbers and libstdc++'s from_chars costs about 260 instructions each.
//
// The fast path takes [-]digits[.digits][(e|E)[+-]digits] with at most 19 significant digits
// and a normal (not subnormal, not infinite) result: the digits 8 at a time, then either one
// exact IEEE operation (Clinger: w <= 2^53 and |exponent| <= 22) or w times a 128-bit power of
// five (the Eisel-Lemire method), declining when that product lies too close to a rounding
// boundary to decide. Everything it declines (more digits, hex-like or odd syntax, inf, nan,
// subnormals, overflow, the rare undecided product) goes to std::from_chars itself.
#include <charconv>

namespace logad::io {

std::from_chars_result read_double(const char* first, const char* last, double& value) noexcept;

// Only the fast path: the end of the number, or nullptr where it declines (the value is then
// untouched). For tests that check that the fast path, not the fallback, read a number.
const char* read_double_fast(const char* first, const char* last, double& value) noexcept;

}  // namespace logad::io
