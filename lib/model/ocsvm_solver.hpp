#pragma once
// The dual of Schölkopf et al.'s (2001) one-class SVM, solved by SMO as LIBSVM does it:
//   min_a  1/2 a'Qa   subject to  0 <= a_i <= 1,  sum a_i = nu * l,   Q_ij = K(x_i, x_j)
// with second-order working-set selection (Fan, Chen & Lin 2005), shrinking with gradient
// reconstruction, and an LRU cache of kernel rows. The starting point, the selection rule and its
// tie-breaking, the shrinking schedule and the rho estimate follow LIBSVM 3.x so that the solution
// matches svm-train -s 2 on the same data (decision f(x) = sum a_i K(x_i, x) - rho).
#include "ocsvm_kernel.hpp"

#include <cstddef>

namespace logad::model::ocsvm {

struct SolverOptions {
    double nu = 0.5;
    double eps = 1e-3;                  // stop when the maximal KKT violation is below eps
    std::size_t cache_bytes = 200u << 20;
    bool shrinking = true;
    int threads = 1;                    // for kernel rows of large problems; 0 = all cores
};

struct SolverResult {
    Vector alpha;  // in the order of the training rows
    double rho = 0.0;
    double objective = 0.0;
    long iterations = 0;
};

SolverResult solve_one_class(const Matrix& x, const Kernel& kernel, const SolverOptions& options);

}  // namespace logad::model::ocsvm
