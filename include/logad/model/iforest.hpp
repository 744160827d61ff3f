#pragma once
// Isolation forest (Liu, Ting & Zhou 2008) and its extended, oblique-split variant (Hariri,
// Kind & Brunner 2019). Created through make_detector("iforest", params); this header only
// exposes what tests and docs need to reason about the scores.
//
// Parameters (JSON, all optional):
//   trees            number of trees                                  (100)
//   samples          rows drawn without replacement per tree (psi)    (256, capped at the row count)
//   extension_level  0 = axis-parallel splits (the original forest);
//                    k > 0 = oblique splits through k + 1 features;  -1 = all features
//   extended         true is shorthand for extension_level = -1
#include <cstddef>

namespace logad::model {

// c(n): the average path length of an unsuccessful search in a binary search tree of n keys,
// 2 H(n-1) - 2 (n-1) / n, with c(2) = 1 and c(0) = c(1) = 0 (Liu et al. 2008, eq. 1). The
// harmonic number is exact for small n and an asymptotic series (error < 1e-12) above.
double iforest_average_path_length(std::size_t n);

}  // namespace logad::model
