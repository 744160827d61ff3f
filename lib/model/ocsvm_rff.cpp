#include "ocsvm_rff.hpp"

#include <logad/util/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <logad/util/random.hpp>
#include <vector>

namespace logad::model::ocsvm {
namespace {

using FloatRows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Box-Muller in pairs on util::Random: std::normal_distribution differs between standard
// libraries, and a saved model must be reproducible from its seed anywhere.
class Gaussian {
public:
    explicit Gaussian(std::uint64_t seed) : m_rng(seed) {}
    double uniform() { return (static_cast<double>(m_rng.next() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
    double normal() {
        if (m_has_spare) {
            m_has_spare = false;
            return m_spare;
        }
        const double r = std::sqrt(-2.0 * std::log(uniform())), t = 2.0 * std::numbers::pi * uniform();
        m_spare = r * std::sin(t);
        m_has_spare = true;
        return r * std::cos(t);
    }
    // Fisher-Yates with our own bounded draw: std::shuffle's sequence is library-specific.
    void shuffle(std::vector<std::size_t>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[m_rng.below(i)]);
    }

private:
    util::Random m_rng;
    double m_spare = 0.0;
    bool m_has_spare = false;
};

// cos by reduction to [-pi, pi] and a Taylor polynomial of degree 22 (error < 2e-12, far below
// the approximation error of the features): a plain arithmetic loop the compiler vectorises,
// where std::cos is a scalar library call that dominated scoring.
void fast_cos(double* v, std::size_t n) {
    constexpr double k_two_pi = 2.0 * std::numbers::pi, k_inv_two_pi = 1.0 / k_two_pi;
    constexpr double k_round = 0x1.8p52;  // adding and subtracting it rounds to an integer
    for (std::size_t i = 0; i < n; ++i) {
        const double turns = (v[i] * k_inv_two_pi + k_round) - k_round;
        const double r = v[i] - turns * k_two_pi, r2 = r * r;
        double p = -1.0 / 1124000727777607680000.0;  // -1/22!
        p = p * r2 + 1.0 / 2432902008176640000.0;
        p = p * r2 - 1.0 / 6402373705728000.0;
        p = p * r2 + 1.0 / 20922789888000.0;
        p = p * r2 - 1.0 / 87178291200.0;
        p = p * r2 + 1.0 / 479001600.0;
        p = p * r2 - 1.0 / 3628800.0;
        p = p * r2 + 1.0 / 40320.0;
        p = p * r2 - 1.0 / 720.0;
        p = p * r2 + 1.0 / 24.0;
        p = p * r2 - 0.5;
        v[i] = p * r2 + 1.0;
    }
}

double nu_quantile(const Vector& values, double nu) {
    std::vector<double> v(values.data(), values.data() + values.size());
    const auto k = std::min(v.size() - 1, static_cast<std::size_t>(nu * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

}  // namespace

Matrix RffModel::features(const Matrix& x) const {
    Matrix z = x * weights.transpose();
    const double s = std::sqrt(2.0 / static_cast<double>(weights.rows()));
    z.rowwise() += offsets.transpose();
    fast_cos(z.data(), static_cast<std::size_t>(z.size()));
    z *= s;
    return z;
}

Vector RffModel::decision(const Matrix& x) const {
    return (scale * ((features(x) * w).array() - rho)).matrix();
}

RffModel fit_rff(const Matrix& x, const RffOptions& o) {
    Gaussian g(o.seed);
    RffModel m;
    const Eigen::Index d = x.cols(), n_comp = o.components;
    m.weights.resize(n_comp, d);
    const double sd = std::sqrt(2.0 * o.gamma);
    for (Eigen::Index r = 0; r < n_comp; ++r)
        for (Eigen::Index c = 0; c < d; ++c) m.weights(r, c) = sd * g.normal();
    m.offsets.resize(n_comp);
    for (Eigen::Index c = 0; c < n_comp; ++c) m.offsets[c] = 2.0 * std::numbers::pi * g.uniform();

    // The features of all rows, kept in float: they are the approximation's input (good to ~1e-7)
    // and the training set's memory is then n * D * 4 bytes. Computed by row blocks in parallel.
    const auto n = static_cast<std::size_t>(x.rows());
    FloatRows z(x.rows(), n_comp);
    util::parallel_for(n, o.threads, 1024, [&](std::size_t begin, std::size_t end) {
        const auto b = static_cast<Eigen::Index>(begin), len = static_cast<Eigen::Index>(end - begin);
        for (Eigen::Index r = b; r < b + len; r += 64) {
            const Eigen::Index k = std::min<Eigen::Index>(64, b + len - r);
            z.middleRows(r, k) = m.features(x.middleRows(r, k)).cast<float>();
        }
    });
    auto margins = [&](const Vector& w) {
        Vector f(x.rows());
        // Fixed 4096-row pieces whatever the thread count, so the sums (and rho) do not depend on it.
        util::parallel_for(n, o.threads, 4096, [&](std::size_t begin, std::size_t end) {
            for (auto b = static_cast<Eigen::Index>(begin); b < static_cast<Eigen::Index>(end); b += 4096) {
                const Eigen::Index len = std::min<Eigen::Index>(4096, static_cast<Eigen::Index>(end) - b);
                f.segment(b, len).noalias() = z.middleRows(b, len).cast<double>() * w;
            }
        });
        return f;
    };
    // Start from the mean feature vector: the solution when every row is a margin error.
    m.w = z.cast<double>().colwise().mean().transpose();
    m.rho = nu_quantile(margins(m.w), o.nu);
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    // w = a * v: the decay w *= 1 - eta becomes one multiplication, so a step costs one dot
    // product, plus an update for the few rows inside the margin.
    Vector v = m.w;
    double a = 1.0;
    double t = 1.0;  // continues across epochs so the step keeps shrinking
    for (int epoch = 0; epoch < o.epochs; ++epoch) {
        g.shuffle(order);
        for (std::size_t i : order) {
            const auto zi = z.row(static_cast<Eigen::Index>(i));
            const bool margin_error = a * zi.cast<double>().dot(v.transpose()) < m.rho;
            const double eta = 1.0 / ++t;
            a *= 1.0 - eta;
            if (margin_error) v.noalias() += (eta / (o.nu * a)) * zi.cast<double>().transpose();
            if (a < 1e-100) {  // never in practice (a ~ 1/t); keeps v finite regardless
                v *= a;
                a = 1.0;
            }
        }
        m.w = a * v;
        m.rho = nu_quantile(margins(m.w), o.nu);
    }
    m.scale = o.nu * static_cast<double>(n);
    return m;
}

}  // namespace logad::model::ocsvm
