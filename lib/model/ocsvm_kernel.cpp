#include "ocsvm_kernel.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace logad::model::ocsvm {

std::string_view kernel_name(KernelType type) {
    switch (type) {
    case KernelType::rbf: return "rbf";
    case KernelType::linear: return "linear";
    case KernelType::poly: return "poly";
    }
    return "?";
}

KernelType kernel_from_name(std::string_view name) {
    if (name == "rbf") return KernelType::rbf;
    if (name == "linear") return KernelType::linear;
    if (name == "poly" || name == "polynomial") return KernelType::poly;
    throw UsageError(fmt::format("unknown ocsvm kernel '{}'; choose rbf, linear or poly", name));
}

double gamma_scale(const Matrix& x) {
    const double n = static_cast<double>(x.size());
    if (n == 0) return 1.0;
    const double mean = x.sum() / n;
    const double var = (x.array() - mean).square().sum() / n;
    return var > 0 ? 1.0 / (static_cast<double>(x.cols()) * var) : 1.0;
}

double int_power(double base, int degree) {
    double result = 1.0;
    for (int t = degree; t > 0; t /= 2) {
        if (t % 2 == 1) result *= base;
        base *= base;
    }
    return result;
}

void kernel_block(const Kernel& k, const Matrix& a, const Vector& a_sq, const Matrix& b, const Vector& b_sq,
                  Matrix& out) {
    out.noalias() = a * b.transpose();
    switch (k.type) {
    case KernelType::rbf:
        // Row by row with Eigen's vectorised exp. Rounding can make a tiny distance negative; a
        // distance is never below zero.
        for (Eigen::Index r = 0; r < out.rows(); ++r)
            out.row(r) = (-k.gamma * ((a_sq[r] + b_sq.transpose().array()) - 2.0 * out.row(r).array()).max(0.0)).exp();
        break;
    case KernelType::linear: break;
    case KernelType::poly:
        out = out.unaryExpr([&k](double dot) { return int_power(k.gamma * dot + k.coef0, k.degree); });
        break;
    }
}

}  // namespace logad::model::ocsvm
