#pragma once
// Approximate one-class SVM for data too large for the exact kernel solver:
// random Fourier features (Rahimi & Recht 2007) z(x) = sqrt(2/D) cos(W x + b), W ~ N(0, 2 gamma I),
// b ~ U[0, 2 pi), so that z(x).z(y) ~ exp(-gamma |x - y|^2), then a linear one-class SVM on z
// solved in the primal,
//   min_{w, rho}  1/2 |w|^2 - rho + 1/(nu n) sum_i max(0, rho - w.z_i),
// by alternating a Pegasos pass over w (step 1/t; the problem is 1-strongly convex in w) with the
// exact rho for that w (the nu-quantile of w.z_i). Decision values are scaled by nu*n so they are
// on the same scale as the exact dual's sum a_i K(x_i, x) - rho (LIBSVM's alphas sum to nu*n).
#include <logad/model/detector.hpp>

#include <cstdint>

namespace logad::model::ocsvm {

struct RffModel {
    Matrix weights;   // D x d
    Vector offsets;   // D
    Vector w;         // D, the linear model on the features
    double rho = 0.0;
    double scale = 1.0;  // nu * n of the training set

    Matrix features(const Matrix& x) const;  // n x D
    Vector decision(const Matrix& x) const;  // scale * (w.z(x) - rho)
};

struct RffOptions {
    int components = 500;
    int epochs = 20;
    double gamma = 1.0;
    double nu = 0.5;
    std::uint64_t seed = 42;
    int threads = 1;  // for the features and margins; the SGD pass itself is sequential
};

RffModel fit_rff(const Matrix& x, const RffOptions& options);

}  // namespace logad::model::ocsvm
