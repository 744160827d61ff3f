// SMO for the one-class dual. Every label is +1, the linear term is 0 and every upper bound is 1,
// so LIBSVM's general two-label solver reduces to the simpler loops below.
#include "ocsvm_solver.hpp"

#include "ocsvm_cache.hpp"

#include <logad/util/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace logad::model::ocsvm {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
constexpr double k_tau = 1e-12;  // stands in for a non-positive curvature, as in LIBSVM

// Kernel rows over the training rows in the solver's current order. The rows of the data are
// physically swapped with the solver's positions so a row block is contiguous for Eigen.
class KernelRows {
public:
    KernelRows(const Matrix& x, const Kernel& kernel, std::size_t cache_bytes, int threads)
        : m_x(x), m_kernel(kernel), m_sq(x.rowwise().squaredNorm()), m_dots(x.rows()),
          m_cache(static_cast<int>(x.rows()), cache_bytes / sizeof(float)), m_threads(threads) {
        m_diag.resize(x.rows());
        for (Eigen::Index i = 0; i < x.rows(); ++i) m_diag[i] = kernel_from_dot(m_kernel, m_sq[i], m_sq[i], m_sq[i]);
    }

    double diag(int i) const { return m_diag[i]; }

    // Q(i, 0..len), in float as LIBSVM stores it (halves the memory of the cache).
    const float* row(int i, int len) {
        const RowCache::Slot slot = m_cache.get(i, len);
        if (slot.valid < len) fill(i, slot.valid, len, slot.data);
        return slot.data;
    }

    // g += sum_r a[r] Q(rows[r], .) and g_bar += sum over upper-bound rows of Q(rows[r], .), by
    // blocks as matrix products instead of one kernel row at a time. Used once, at the start,
    // when the order is still the identity; the rows are not cached (LIBSVM caches them, but they
    // are mostly not the ones the iterations ask for).
    void accumulate(const std::vector<int>& rows, const std::vector<double>& a, std::vector<double>& g,
                    std::vector<double>& g_bar) {
        const auto nr = static_cast<Eigen::Index>(rows.size());
        Matrix xs(nr, m_x.cols());
        Vector as(nr), us(nr);
        for (Eigen::Index r = 0; r < nr; ++r) {
            const int row = rows[static_cast<std::size_t>(r)];
            xs.row(r) = m_x.row(row);
            as[r] = a[static_cast<std::size_t>(row)];
            us[r] = as[r] >= 1.0 ? 1.0 : 0.0;
        }
        const Vector xs_sq = xs.rowwise().squaredNorm();
        Eigen::Map<Vector> gm(g.data(), m_x.rows()), gbm(g_bar.data(), m_x.rows());
        constexpr Eigen::Index k_cols = 512, k_rows = 64;
        // Threads own disjoint column ranges of g and g_bar. One small buffer per range: fresh
        // large allocations cost more in page faults than the products themselves.
        util::parallel_for(static_cast<std::size_t>(m_x.rows()), m_threads, k_cols, [&](std::size_t b, std::size_t e) {
            const auto lo = static_cast<Eigen::Index>(b), n = static_cast<Eigen::Index>(e - b);
            Eigen::MatrixXd k(n, k_rows);  // column-major: one column per training row of the block
            for (Eigen::Index r0 = 0; r0 < nr; r0 += k_rows) {
                const Eigen::Index nb = std::min(k_rows, nr - r0);
                auto kb = k.leftCols(nb);
                kb.noalias() = m_x.middleRows(lo, n) * xs.middleRows(r0, nb).transpose();
                for (Eigen::Index c = 0; c < nb; ++c) transform(kb.col(c), xs_sq[r0 + c], lo);
                gm.segment(lo, n).noalias() += kb * as.segment(r0, nb);
                gbm.segment(lo, n).noalias() += kb * us.segment(r0, nb);
            }
        });
    }

    void swap_index(int i, int j) {
        m_cache.swap_index(i, j);
        m_x.row(i).swap(m_x.row(j));
        std::swap(m_sq[i], m_sq[j]);
        std::swap(m_diag[i], m_diag[j]);
    }

private:
    // Kernel values from dot products, in place: vectorised exp for rbf (most of a row's cost).
    void transform(Eigen::Ref<Vector> dots, double sq_i, Eigen::Index first) const {
        switch (m_kernel.type) {
        case KernelType::rbf:
            dots = (-m_kernel.gamma * ((sq_i + m_sq.segment(first, dots.size()).array()) - 2.0 * dots.array())).exp();
            break;
        case KernelType::linear: break;
        case KernelType::poly:
            dots = dots.unaryExpr([this](double v) { return int_power(m_kernel.gamma * v + m_kernel.coef0, m_kernel.degree); });
            break;
        }
    }

    void fill(int i, int begin, int end, float* out) {
        auto compute = [&](std::size_t b, std::size_t e) {
            const auto lo = static_cast<Eigen::Index>(begin + b), n = static_cast<Eigen::Index>(e - b);
            auto dots = m_dots.segment(lo, n);
            dots.noalias() = m_x.middleRows(lo, n) * m_x.row(i).transpose();
            transform(dots, m_sq[i], lo);
            Eigen::Map<Eigen::VectorXf>(out + lo, n) = dots.cast<float>();
        };
        const auto n = static_cast<std::size_t>(end - begin);
        // Threads pay only for long rows of wide data (start-up is ~tens of microseconds).
        if (m_threads != 1 && n * static_cast<std::size_t>(m_x.cols()) >= (1u << 19))
            util::parallel_for(n, m_threads, 4096, compute);
        else
            compute(0, n);
    }

    Matrix m_x;
    Kernel m_kernel;
    Vector m_sq;
    Vector m_diag;
    Vector m_dots;
    RowCache m_cache;
    int m_threads;
};

enum class Bound : unsigned char { lower, upper, free };

class Smo {
public:
    Smo(const Matrix& x, const Kernel& kernel, const SolverOptions& o)
        : m_l(static_cast<int>(x.rows())), m_eps(o.eps), m_q(x, kernel, o.cache_bytes, o.threads) {
        // LIBSVM's start: the first floor(nu*l) alphas at the bound 1, the next one takes the rest.
        m_alpha.assign(m_l, 0.0);
        const int n = static_cast<int>(o.nu * m_l);
        for (int i = 0; i < n; ++i) m_alpha[i] = 1.0;
        if (n < m_l) m_alpha[n] = o.nu * m_l - n;
        m_status.resize(m_l);
        for (int i = 0; i < m_l; ++i) update_status(i);
        m_active_set.resize(m_l);
        std::iota(m_active_set.begin(), m_active_set.end(), 0);
        m_active = m_l;
        m_g.assign(m_l, 0.0);
        m_g_bar.assign(m_l, 0.0);
        std::vector<int> nonzero;
        for (int i = 0; i < m_l; ++i)
            if (m_status[i] != Bound::lower) nonzero.push_back(i);
        m_q.accumulate(nonzero, m_alpha, m_g, m_g_bar);
    }

    SolverResult run(bool shrinking) {
        long iter = 0;
        const long max_iter = std::max<long>(10000000, 100L * m_l);
        int counter = std::min(m_l, 1000) + 1;
        while (iter < max_iter) {
            if (--counter == 0) {
                counter = std::min(m_l, 1000);
                if (shrinking) shrink();
            }
            int i = 0, j = 0;
            if (!select_working_set(i, j)) {
                // Optimal on the active set: check on all variables before stopping.
                reconstruct_gradient();
                m_active = m_l;
                if (!select_working_set(i, j)) break;
                counter = 1;  // shrink at the next iteration
            }
            ++iter;
            step(i, j);
        }
        if (m_active < m_l) {
            reconstruct_gradient();
            m_active = m_l;
        }
        SolverResult r;
        r.iterations = iter;
        r.rho = calculate_rho();
        double obj = 0;
        for (int i = 0; i < m_l; ++i) obj += m_alpha[i] * m_g[i];
        r.objective = obj / 2;
        r.alpha.resize(m_l);
        for (int i = 0; i < m_l; ++i) r.alpha[m_active_set[i]] = m_alpha[i];
        return r;
    }

private:
    void update_status(int i) {
        m_status[i] = m_alpha[i] >= 1.0 ? Bound::upper : m_alpha[i] <= 0.0 ? Bound::lower : Bound::free;
    }

    // i maximises -G over I_up; j minimises the second-order objective decrease over I_low.
    bool select_working_set(int& out_i, int& out_j) {
        double g_max = -k_inf, g_max2 = -k_inf, obj_diff_min = k_inf;
        int i = -1, j_best = -1;
        for (int t = 0; t < m_active; ++t)
            if (m_status[t] != Bound::upper && -m_g[t] >= g_max) {
                g_max = -m_g[t];
                i = t;
            }
        if (i == -1) return false;
        const float* q_i = m_q.row(i, m_active);
        const double qd_i = m_q.diag(i);
        for (int j = 0; j < m_active; ++j) {
            if (m_status[j] == Bound::lower) continue;
            const double grad_diff = g_max + m_g[j];
            if (m_g[j] >= g_max2) g_max2 = m_g[j];
            if (grad_diff > 0) {
                const double quad = qd_i + m_q.diag(j) - 2.0 * q_i[j];
                const double obj_diff = -(grad_diff * grad_diff) / (quad > 0 ? quad : k_tau);
                if (obj_diff <= obj_diff_min) {
                    j_best = j;
                    obj_diff_min = obj_diff;
                }
            }
        }
        if (g_max + g_max2 < m_eps || j_best == -1) return false;
        out_i = i;
        out_j = j_best;
        return true;
    }

    void step(int i, int j) {
        const float* q_i = m_q.row(i, m_active);
        const float* q_j = m_q.row(j, m_active);
        const double old_i = m_alpha[i], old_j = m_alpha[j];
        double quad = m_q.diag(i) + m_q.diag(j) - 2.0 * q_i[j];
        if (quad <= 0) quad = k_tau;
        const double delta = (m_g[i] - m_g[j]) / quad;
        const double sum = m_alpha[i] + m_alpha[j];
        double a_i = m_alpha[i] - delta, a_j = m_alpha[j] + delta;
        // Clip to the box along the line a_i + a_j = sum.
        if (sum > 1.0) {
            if (a_i > 1.0) { a_i = 1.0; a_j = sum - 1.0; }
        } else if (a_j < 0) {
            a_j = 0;
            a_i = sum;
        }
        if (sum > 1.0) {
            if (a_j > 1.0) { a_j = 1.0; a_i = sum - 1.0; }
        } else if (a_i < 0) {
            a_i = 0;
            a_j = sum;
        }
        m_alpha[i] = a_i;
        m_alpha[j] = a_j;
        const double d_i = a_i - old_i, d_j = a_j - old_j;
        for (int k = 0; k < m_active; ++k) m_g[k] += q_i[k] * d_i + q_j[k] * d_j;

        // G_bar = sum over upper-bound alphas of Q_k, kept over all l rows for reconstruction.
        const bool was_upper_i = m_status[i] == Bound::upper, was_upper_j = m_status[j] == Bound::upper;
        update_status(i);
        update_status(j);
        update_g_bar(i, was_upper_i);
        update_g_bar(j, was_upper_j);
    }

    void update_g_bar(int i, bool was_upper) {
        if (was_upper == (m_status[i] == Bound::upper)) return;
        const float* q = m_q.row(i, m_l);
        const double sign = was_upper ? -1.0 : 1.0;
        for (int k = 0; k < m_l; ++k) m_g_bar[k] += sign * q[k];
    }

    bool be_shrunk(int i, double g_max1, double g_max2) const {
        if (m_status[i] == Bound::upper) return -m_g[i] > g_max1;
        if (m_status[i] == Bound::lower) return m_g[i] > g_max2;
        return false;
    }

    void shrink() {
        double g_max1 = -k_inf, g_max2 = -k_inf;
        for (int i = 0; i < m_active; ++i) {
            if (m_status[i] != Bound::upper && -m_g[i] >= g_max1) g_max1 = -m_g[i];
            if (m_status[i] != Bound::lower && m_g[i] >= g_max2) g_max2 = m_g[i];
        }
        // Near the end, bring every variable back once so shrinking mistakes get corrected.
        if (!m_unshrunk && g_max1 + g_max2 <= m_eps * 10) {
            m_unshrunk = true;
            reconstruct_gradient();
            m_active = m_l;
        }
        for (int i = 0; i < m_active; ++i) {
            if (!be_shrunk(i, g_max1, g_max2)) continue;
            --m_active;
            while (m_active > i) {
                if (!be_shrunk(m_active, g_max1, g_max2)) {
                    swap_index(i, m_active);
                    break;
                }
                --m_active;
            }
        }
    }

    void swap_index(int i, int j) {
        m_q.swap_index(i, j);
        std::swap(m_status[i], m_status[j]);
        std::swap(m_alpha[i], m_alpha[j]);
        std::swap(m_active_set[i], m_active_set[j]);
        std::swap(m_g[i], m_g[j]);
        std::swap(m_g_bar[i], m_g_bar[j]);
    }

    // Gradient of the shrunk variables from G_bar plus the free alphas' rows.
    void reconstruct_gradient() {
        if (m_active == m_l) return;
        for (int j = m_active; j < m_l; ++j) m_g[j] = m_g_bar[j];
        long n_free = 0;
        for (int j = 0; j < m_active; ++j) n_free += m_status[j] == Bound::free;
        // Take whichever direction reads fewer kernel entries.
        if (n_free * m_l > 2L * m_active * (m_l - m_active)) {
            for (int i = m_active; i < m_l; ++i) {
                const float* q_i = m_q.row(i, m_active);
                for (int j = 0; j < m_active; ++j)
                    if (m_status[j] == Bound::free) m_g[i] += m_alpha[j] * q_i[j];
            }
        } else {
            for (int i = 0; i < m_active; ++i) {
                if (m_status[i] != Bound::free) continue;
                const float* q_i = m_q.row(i, m_l);
                const double a_i = m_alpha[i];
                for (int j = m_active; j < m_l; ++j) m_g[j] += a_i * q_i[j];
            }
        }
    }

    // rho = mean gradient of the free alphas, else the middle of the feasible interval.
    double calculate_rho() const {
        double ub = k_inf, lb = -k_inf, sum_free = 0;
        int n_free = 0;
        for (int i = 0; i < m_active; ++i) {
            if (m_status[i] == Bound::upper) lb = std::max(lb, m_g[i]);
            else if (m_status[i] == Bound::lower) ub = std::min(ub, m_g[i]);
            else {
                ++n_free;
                sum_free += m_g[i];
            }
        }
        return n_free > 0 ? sum_free / n_free : (ub + lb) / 2;
    }

    int m_l;
    double m_eps;
    KernelRows m_q;
    std::vector<double> m_alpha;
    std::vector<Bound> m_status;
    std::vector<int> m_active_set;
    int m_active = 0;
    std::vector<double> m_g;
    std::vector<double> m_g_bar;
    bool m_unshrunk = false;
};

}  // namespace

SolverResult solve_one_class(const Matrix& x, const Kernel& kernel, const SolverOptions& options) {
    Smo smo(x, kernel, options);
    return smo.run(options.shrinking);
}

}  // namespace logad::model::ocsvm
