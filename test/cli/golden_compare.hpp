#pragma once
// Compares a golden file with what a run printed. Every byte must agree except inside numbers
// written with a fraction or an exponent (`0.734`, `1.2e-05`): those are parsed and must agree
// within a relative tolerance, because training amplifies the last bits of libm results and of
// summation orders, which differ between CPUs. Integers (counts, ids, line numbers, exit codes)
// and everything else (keys, order, text, structure) are compared exactly.
#include <optional>
#include <string>
#include <string_view>

namespace logad::test {

// Relative tolerance for fractional numbers in golden files; override with LOGAD_GOLDEN_RTOL.
// Values whose magnitude is below k_golden_atol are compared absolutely (numerical noise at 0).
inline constexpr double k_golden_rtol = 1e-5;
inline constexpr double k_golden_atol = 1e-12;

// The first difference that matters, described for a person ("line 7: 1.25 vs 1.5 ..."), or
// nothing when `got` matches `expected`.
std::optional<std::string> golden_difference(std::string_view expected, std::string_view got, double rtol = k_golden_rtol);

}  // namespace logad::test
