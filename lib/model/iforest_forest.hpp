#pragma once
// The isolation forest's trees as flat arrays: all nodes of all trees in one vector, each
// internal node's children adjacent (right = left + 1), leaves holding their finished path
// length depth + c(size), so scoring is a walk and a sum.
#include <logad/model/detector.hpp>

#include <cstdint>
#include <vector>

namespace logad::model::iforest {

struct Node {
    double value = 0;         // internal: split threshold (go left when projection < value); leaf: path length
    std::int32_t left = -1;   // index of the left child, -1 for a leaf
    std::int32_t a = 0;       // axis-parallel: the feature; oblique: first coefficient
    std::int32_t b = 0;       // oblique: one past the last coefficient
};

struct Forest {
    std::size_t n_features = 0;
    std::size_t psi = 0;            // subsample size actually used
    int extension_level = 0;        // resolved: 0 axis-parallel, >0 oblique through up to level+1 features
    std::vector<std::int32_t> roots;
    std::vector<Node> nodes;
    std::vector<std::int32_t> coef_index;  // oblique splits: feature of each coefficient
    std::vector<double> coef_weight;
    // Axis-parallel forests only, derived by prepare_walk (never saved): each tree's depth, the
    // steps a walk from its root takes to reach its deepest leaf. Every walk takes that many
    // steps, a walk that reached a leaf staying on it, so rows walk a tree in lockstep with no
    // branch to predict.
    std::vector<std::int32_t> depths;

    bool oblique() const noexcept { return extension_level > 0; }
};

struct BuildOptions {
    int trees = 100;
    std::size_t samples = 256;
    int extension_level = 0;  // already resolved against the number of features
    std::uint64_t seed = 42;
    int threads = 1;
};

// Grows the forest on the rows of x (finite values, at least 2 rows). Each tree draws from its
// own generator seeded by (seed, tree index), so the result does not depend on `threads`.
Forest build_forest(const Matrix& x, const BuildOptions& options);

// Sets depths and each leaf's feature to 0 (leaves read one, ignored), after build_forest and
// after a load has been validated.
void prepare_walk(Forest& forest);

// Mean path length over the trees for each row of x.
Vector mean_path_length(const Forest& forest, const Matrix& x, int threads);

// Throws FormatError when indices or sizes are inconsistent (an edited or damaged model).
void validate(const Forest& forest);

}  // namespace logad::model::iforest
