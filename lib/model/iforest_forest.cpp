#include "iforest_forest.hpp"

#include <logad/error.hpp>
#include <logad/model/iforest.hpp>
#include <logad/util/parallel.hpp>
#include <logad/util/random.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <unordered_set>

namespace logad::model {

double iforest_average_path_length(std::size_t n) {
    if (n <= 1) return 0.0;
    if (n == 2) return 1.0;
    const std::size_t m = n - 1;  // H(n-1)
    double h = 0.0;
    if (m <= 64) {
        for (std::size_t i = m; i >= 1; --i) h += 1.0 / static_cast<double>(i);
    } else {
        const double x = static_cast<double>(m);
        const double x2 = x * x;
        h = std::log(x) + std::numbers::egamma + 1.0 / (2.0 * x) - 1.0 / (12.0 * x2) + 1.0 / (120.0 * x2 * x2);
    }
    return 2.0 * h - 2.0 * static_cast<double>(m) / static_cast<double>(n);
}

}  // namespace logad::model

namespace logad::model::iforest {
namespace {

using Rng = util::Random;
using util::splitmix64;

// Grows one tree on a column-major copy of its subsample.
class TreeBuilder {
public:
    TreeBuilder(const Matrix& x, const BuildOptions& o, std::size_t psi, Rng& rng)
        : m_d(static_cast<std::size_t>(x.cols())), m_psi(psi), m_ext(o.extension_level), m_rng(rng) {
        m_max_depth = static_cast<int>(std::ceil(std::log2(static_cast<double>(std::max<std::size_t>(psi, 2)))));
        const std::vector<std::size_t> rows = draw_rows(static_cast<std::size_t>(x.rows()));
        m_cols.resize(m_d * psi);
        for (std::size_t i = 0; i < psi; ++i)
            for (std::size_t f = 0; f < m_d; ++f) m_cols[f * psi + i] = x(static_cast<Eigen::Index>(rows[i]), static_cast<Eigen::Index>(f));
        m_order.resize(psi);
        for (std::size_t i = 0; i < psi; ++i) m_order[i] = static_cast<std::uint32_t>(i);
        m_features.resize(m_d);
        m_lo.resize(m_d);
        m_hi.resize(m_d);
        m_proj.resize(psi);
    }

    void build(std::vector<Node>& nodes, std::vector<std::int32_t>& ci, std::vector<double>& cw) {
        m_nodes = &nodes;
        m_ci = &ci;
        m_cw = &cw;
        nodes.emplace_back();
        std::vector<std::size_t> live(m_d);
        for (std::size_t f = 0; f < m_d; ++f) live[f] = f;
        grow(0, 0, m_psi, 0, live);
    }

private:
    std::vector<std::size_t> draw_rows(std::size_t n) {
        std::vector<std::size_t> rows;
        rows.reserve(m_psi);
        if (m_psi == n) {
            for (std::size_t i = 0; i < n; ++i) rows.push_back(i);
            return rows;
        }
        std::unordered_set<std::size_t> chosen;  // Floyd's sampling without replacement
        chosen.reserve(m_psi * 2);
        for (std::size_t j = n - m_psi; j < n; ++j) {
            const std::size_t t = m_rng.below(j + 1);
            chosen.insert(chosen.count(t) ? j : t);
        }
        rows.assign(chosen.begin(), chosen.end());
        std::sort(rows.begin(), rows.end());  // the set's order is not portable
        return rows;
    }

    double value(std::size_t feature, std::uint32_t row) const { return m_cols[feature * m_psi + row]; }

    void make_leaf(std::size_t id, std::size_t size, int depth) {
        (*m_nodes)[id] = Node{static_cast<double>(depth) + iforest_average_path_length(size), -1, 0, 0};
    }

    // Splits order[begin, end) so rows with projection < threshold come first; returns the middle.
    std::size_t partition(std::size_t begin, std::size_t end, double threshold) {
        std::size_t mid = begin;
        for (std::size_t i = begin; i < end; ++i)
            if (m_proj[m_order[i]] < threshold) std::swap(m_order[i], m_order[mid++]);
        return mid;
    }

    // `live`: features not yet seen constant on an ancestor (constant there, constant here).
    void grow(std::size_t id, std::size_t begin, std::size_t end, int depth, std::vector<std::size_t> live) {
        const std::size_t size = end - begin;
        if (size <= 1 || depth >= m_max_depth) return make_leaf(id, size, depth);
        Node node;
        if (m_ext == 0 ? !axis_split(node, begin, end, live) : !oblique_split(node, begin, end))
            return make_leaf(id, size, depth);  // all rows identical: nothing can isolate them
        const std::size_t mid = partition(begin, end, node.value);
        node.left = static_cast<std::int32_t>(m_nodes->size());
        (*m_nodes)[id] = node;
        m_nodes->emplace_back();
        m_nodes->emplace_back();
        grow(static_cast<std::size_t>(node.left), begin, mid, depth + 1, live);
        grow(static_cast<std::size_t>(node.left) + 1, mid, end, depth + 1, std::move(live));
    }

    // A feature drawn uniformly among those not constant on this node (sparse data has many
    // constant columns; drawing them would waste a level), split uniformly in (min, max].
    // Features found constant leave `live`, so the subtree never scans them again.
    bool axis_split(Node& node, std::size_t begin, std::size_t end, std::vector<std::size_t>& live) {
        while (!live.empty()) {
            const std::size_t k = m_rng.below(live.size());
            const std::size_t f = live[k];
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (std::size_t i = begin; i < end; ++i) {
                const double v = value(f, m_order[i]);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            if (!(hi > lo)) {
                live[k] = live.back();
                live.pop_back();
                continue;
            }
            double t;
            do t = lo + m_rng.uniform() * (hi - lo);
            while (!(t > lo));  // keeps both sides non-empty
            node.value = t;
            node.a = static_cast<std::int32_t>(f);
            for (std::size_t i = begin; i < end; ++i) m_proj[m_order[i]] = value(f, m_order[i]);
            return true;
        }
        return false;
    }

    // Hariri et al.: a random normal through a random point of the node's bounding box. Its
    // non-zero coefficients are extension_level + 1 features drawn among the non-constant ones.
    bool oblique_split(Node& node, std::size_t begin, std::size_t end) {
        std::size_t live = 0;
        for (std::size_t f = 0; f < m_d; ++f) {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (std::size_t i = begin; i < end; ++i) {
                const double v = value(f, m_order[i]);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            m_lo[f] = lo;
            m_hi[f] = hi;
            if (hi > lo) m_features[live++] = f;
        }
        if (live == 0) return false;
        const std::size_t k = std::min(live, static_cast<std::size_t>(m_ext) + 1);
        for (std::size_t j = 0; j < k; ++j) std::swap(m_features[j], m_features[j + m_rng.below(live - j)]);
        std::sort(m_features.begin(), m_features.begin() + static_cast<std::ptrdiff_t>(k));
        node.a = static_cast<std::int32_t>(m_ci->size());
        double threshold = 0.0;
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t f = m_features[j];
            const double w = m_rng.normal();
            threshold += w * (m_lo[f] + m_rng.uniform() * (m_hi[f] - m_lo[f]));
            m_ci->push_back(static_cast<std::int32_t>(f));
            m_cw->push_back(w);
        }
        node.b = static_cast<std::int32_t>(m_ci->size());
        node.value = threshold;
        for (std::size_t i = begin; i < end; ++i) {
            const std::uint32_t r = m_order[i];
            double p = 0.0;
            for (std::size_t j = 0; j < k; ++j) p += (*m_cw)[static_cast<std::size_t>(node.a) + j] * value(m_features[j], r);
            m_proj[r] = p;
        }
        return true;
    }

    std::size_t m_d, m_psi;
    int m_ext;
    int m_max_depth = 0;
    Rng& m_rng;
    std::vector<double> m_cols;  // m_cols[f * psi + i]: feature f of subsample row i
    std::vector<std::uint32_t> m_order;
    std::vector<std::size_t> m_features;
    std::vector<double> m_lo, m_hi, m_proj;
    std::vector<Node>* m_nodes = nullptr;
    std::vector<std::int32_t>* m_ci = nullptr;
    std::vector<double>* m_cw = nullptr;
};

struct Tree {
    std::vector<Node> nodes;
    std::vector<std::int32_t> ci;
    std::vector<double> cw;
};

template <bool Oblique>
double walk(const Forest& f, const double* x, std::int32_t root) {
    const Node* n = &f.nodes[static_cast<std::size_t>(root)];
    while (n->left >= 0) {
        double v;
        if constexpr (Oblique) {
            v = 0.0;
            for (std::int32_t k = n->a; k < n->b; ++k)
                v += f.coef_weight[static_cast<std::size_t>(k)] * x[f.coef_index[static_cast<std::size_t>(k)]];
        } else {
            v = x[n->a];
        }
        n = &f.nodes[static_cast<std::size_t>(n->left + (v < n->value ? 0 : 1))];
    }
    return n->value;
}

// Axis-parallel walks of k_lanes rows through one tree in lockstep, each exactly the tree's depth
// in steps: a walk at a leaf stays there (a conditional move, not a branch). Each walk is a chain
// of dependent loads, and interleaving independent chains lets the CPU overlap their latency.
// Sums stay in tree order, so the scores are the same to the last bit as one walk after another.
constexpr std::size_t k_lanes = 8;

template <std::size_t Lanes>
void walk_lanes(const Forest& f, const Matrix& x, std::size_t r0, std::size_t lanes, std::size_t tree, Vector& out) {
    const std::size_t n = Lanes != 0 ? Lanes : lanes;  // Lanes == 0: a short last block
    const Node* nodes = f.nodes.data();
    const double* row[k_lanes];
    std::int32_t at[k_lanes];
    for (std::size_t j = 0; j < n; ++j) {
        row[j] = x.row(static_cast<Eigen::Index>(r0 + j)).data();
        at[j] = f.roots[tree];
    }
    for (std::int32_t d = f.depths[tree]; d > 0; --d)
        for (std::size_t j = 0; j < n; ++j) {
            const Node& s = nodes[at[j]];
            const std::int32_t child = s.left + (row[j][s.a] < s.value ? 0 : 1);  // a leaf's a is 0: a valid read
            at[j] = s.left >= 0 ? child : at[j];
        }
    for (std::size_t j = 0; j < n; ++j) out[static_cast<Eigen::Index>(r0 + j)] += nodes[at[j]].value;
}

template <bool Oblique>
void sum_paths(const Forest& f, const Matrix& x, std::size_t begin, std::size_t end, Vector& out) {
    // Trees outer, rows inner: a tree's nodes stay in cache across the block of rows.
    for (std::size_t r = begin; r < end; ++r) out[static_cast<Eigen::Index>(r)] = 0.0;
    for (std::size_t t = 0; t < f.roots.size(); ++t) {
        if constexpr (!Oblique) {
            std::size_t r = begin;
            for (; r + k_lanes <= end; r += k_lanes) walk_lanes<k_lanes>(f, x, r, k_lanes, t, out);
            if (r < end) walk_lanes<0>(f, x, r, end - r, t, out);
            continue;
        }
        for (std::size_t r = begin; r < end; ++r)
            out[static_cast<Eigen::Index>(r)] += walk<Oblique>(f, x.row(static_cast<Eigen::Index>(r)).data(), f.roots[t]);
    }
    const double n = static_cast<double>(f.roots.size());
    for (std::size_t r = begin; r < end; ++r) out[static_cast<Eigen::Index>(r)] /= n;
}

}  // namespace

Forest build_forest(const Matrix& x, const BuildOptions& o) {
    const auto n = static_cast<std::size_t>(x.rows());
    Forest forest;
    forest.n_features = static_cast<std::size_t>(x.cols());
    forest.psi = std::min(o.samples, n);
    forest.extension_level = o.extension_level;
    std::vector<Tree> trees(static_cast<std::size_t>(o.trees));
    util::parallel_for(trees.size(), o.threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
            std::uint64_t state = o.seed ^ (0xd1b54a32d192ed03ULL * (t + 1));
            Rng rng(splitmix64(state));
            TreeBuilder builder(x, o, forest.psi, rng);
            builder.build(trees[t].nodes, trees[t].ci, trees[t].cw);
        }
    });
    for (Tree& t : trees) {
        const auto node_base = static_cast<std::int32_t>(forest.nodes.size());
        const auto coef_base = static_cast<std::int32_t>(forest.coef_index.size());
        forest.roots.push_back(node_base);
        for (Node node : t.nodes) {
            if (node.left >= 0) {
                node.left += node_base;
                if (forest.oblique()) {
                    node.a += coef_base;
                    node.b += coef_base;
                }
            }
            forest.nodes.push_back(node);
        }
        forest.coef_index.insert(forest.coef_index.end(), t.ci.begin(), t.ci.end());
        forest.coef_weight.insert(forest.coef_weight.end(), t.cw.begin(), t.cw.end());
    }
    prepare_walk(forest);
    return forest;
}

void prepare_walk(Forest& f) {
    f.depths.clear();
    if (f.oblique()) return;  // oblique walks test for leaves
    std::vector<std::int32_t> depth;  // one tree's, reused
    for (std::size_t t = 0; t < f.roots.size(); ++t) {
        const auto begin = static_cast<std::size_t>(f.roots[t]);
        const std::size_t end = t + 1 < f.roots.size() ? static_cast<std::size_t>(f.roots[t + 1]) : f.nodes.size();
        depth.assign(end - begin, 0);
        std::int32_t deepest = 0;
        for (std::size_t i = begin; i < end; ++i) {  // children come after their parent (validate)
            Node& n = f.nodes[i];
            const std::int32_t d = depth[i - begin];
            if (n.left < 0) {
                n.a = 0;  // unused by a leaf, saved as 0; the lockstep walk reads it
                deepest = std::max(deepest, d);
                continue;
            }
            const auto left = static_cast<std::size_t>(n.left) - begin;
            depth[left] = depth[left + 1] = d + 1;
        }
        f.depths.push_back(deepest);
    }
}

Vector mean_path_length(const Forest& forest, const Matrix& x, int threads) {
    Vector out(x.rows());
    util::parallel_for(static_cast<std::size_t>(x.rows()), threads, 2048, [&](std::size_t begin, std::size_t end) {
        for (std::size_t b = begin; b < end; b += 256) {
            const std::size_t e = std::min(end, b + 256);
            if (forest.oblique()) sum_paths<true>(forest, x, b, e, out);
            else sum_paths<false>(forest, x, b, e, out);
        }
    });
    return out;
}

void validate(const Forest& f) {
    auto bad = [](const std::string& what) { throw FormatError("isolation forest in the model is damaged: " + what); };
    if (f.n_features == 0 || f.psi < 2) bad("no features or subsample below 2 rows");
    if (f.roots.empty()) bad("no trees");
    if (f.coef_index.size() != f.coef_weight.size()) bad("coefficient arrays differ in length");
    const auto n_nodes = static_cast<std::int64_t>(f.nodes.size());
    for (std::size_t t = 0; t < f.roots.size(); ++t) {
        const std::int64_t begin = f.roots[t];
        const std::int64_t end = t + 1 < f.roots.size() ? f.roots[t + 1] : n_nodes;
        if (begin < 0 || begin >= end || end > n_nodes) bad(fmt::format("tree {} has an invalid root", t));
        for (std::int64_t i = begin; i < end; ++i) {
            const Node& n = f.nodes[static_cast<std::size_t>(i)];
            if (!std::isfinite(n.value)) bad(fmt::format("node {} holds a non-finite value", i));
            if (n.left < 0) continue;
            // Children after their parent and inside the same tree: every walk ends at a leaf.
            if (n.left <= i || n.left + 1 >= end) bad(fmt::format("node {} points outside its tree", i));
            if (f.oblique()) {
                if (n.a < 0 || n.a >= n.b || static_cast<std::size_t>(n.b) > f.coef_index.size())
                    bad(fmt::format("node {} has invalid coefficients", i));
            } else if (n.a < 0 || static_cast<std::size_t>(n.a) >= f.n_features) {
                bad(fmt::format("node {} splits on feature {} of {}", i, n.a, f.n_features));
            }
        }
    }
    for (std::size_t k = 0; k < f.coef_index.size(); ++k)
        if (f.coef_index[k] < 0 || static_cast<std::size_t>(f.coef_index[k]) >= f.n_features || !std::isfinite(f.coef_weight[k]))
            bad(fmt::format("coefficient {} is out of range", k));
}

}  // namespace logad::model::iforest
