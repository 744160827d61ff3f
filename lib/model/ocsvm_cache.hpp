#pragma once
// A bounded LRU cache of kernel rows for the SMO solver, in the spirit of LIBSVM's Cache.
// Rows are indexed by the solver's current (permuted) position. A row may be cached only for its
// first `len` columns: a later request for more columns extends it in place. When the solver
// swaps two positions, the cache swaps the two rows and the two columns of every cached row, and
// drops rows that hold only one of the two columns (cheaper than recomputing half a swap).
#include <cstddef>
#include <memory>
#include <vector>

namespace logad::model::ocsvm {

class RowCache {
public:
    // `budget_floats` is the memory bound in floats; at least two full rows are always allowed.
    RowCache(int rows, std::size_t budget_floats);

    struct Slot {
        float* data;
        int valid;  // entries [0, valid) are already filled; the caller fills [valid, len)
    };
    // Makes row i hold at least len columns and marks it most recently used.
    Slot get(int i, int len);
    void swap_index(int i, int j);

private:
    struct Head {
        int prev = -1;
        int next = -1;
        int len = 0;
        std::unique_ptr<float[]> data;
    };
    void unlink(int i);
    void push_back(int i);  // most recently used at the back
    void drop(int i);

    std::vector<Head> m_heads;  // m_heads[rows] is the list sentinel
    int m_sentinel;
    std::size_t m_free;  // floats still available
};

}  // namespace logad::model::ocsvm
