#pragma once
// Kernels of the one-class SVM, shared by the SMO solver (training) and the detector (scoring).
// Definitions follow LIBSVM so that a model fitted here and one fitted by svm-train agree:
//   rbf     exp(-gamma |x - y|^2)
//   linear  x . y
//   poly    (gamma x . y + coef0)^degree
#include <logad/model/detector.hpp>

#include <string_view>

namespace logad::model::ocsvm {

enum class KernelType { rbf, linear, poly };

struct Kernel {
    KernelType type = KernelType::rbf;
    double gamma = 1.0;
    double coef0 = 0.0;
    int degree = 3;
};

std::string_view kernel_name(KernelType type);
KernelType kernel_from_name(std::string_view name);  // throws UsageError

// scikit-learn's gamma="scale": 1 / (n_features * Var(X)) over all entries (population variance),
// or 1 when the matrix is constant.
double gamma_scale(const Matrix& x);

// base^degree by repeated squaring (degree >= 0), exact for small integer powers.
double int_power(double base, int degree);

// Kernel value from a dot product and the squared norms of both vectors.
inline double kernel_from_dot(const Kernel& k, double dot, double sq_a, double sq_b);

// out(r, s) = K(a.row(r), b.row(s)). a_sq/b_sq are the rows' squared norms (used by rbf only).
void kernel_block(const Kernel& k, const Matrix& a, const Vector& a_sq, const Matrix& b, const Vector& b_sq,
                  Matrix& out);

}  // namespace logad::model::ocsvm

#include <cmath>

namespace logad::model::ocsvm {

inline double kernel_from_dot(const Kernel& k, double dot, double sq_a, double sq_b) {
    switch (k.type) {
    case KernelType::rbf: return std::exp(-k.gamma * (sq_a + sq_b - 2.0 * dot));
    case KernelType::linear: return dot;
    case KernelType::poly: return int_power(k.gamma * dot + k.coef0, k.degree);
    }
    return 0.0;
}

}  // namespace logad::model::ocsvm
