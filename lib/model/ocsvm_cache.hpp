#pragma once
// A bounded LRU cache of kernel rows for the SMO solver, in the spirit of LIBSVM's Cache.
// Rows are indexed by the solver's current (permuted) position. A row may be cached only for its
// first `len` columns: a later request for more columns extends it in place. When the solver
// swaps two positions, the cache swaps the two rows and the two columns of every cached row, and
// drops rows that hold only one of the two columns (cheaper than recomputing half a swap).
//
// Unlike LIBSVM, every cached row owns a full-length slot of one arena (the budget counts slots,
// not the columns actually filled): rows grow without copying, and the arena is one mapping that
// the kernel may back with huge pages. Fresh rows are written once and read a few times, so with
// a new small allocation per row the first-touch page faults cost as much as the kernel values.
#include <cstddef>
#include <vector>

namespace logad::model::ocsvm {

class RowCache {
public:
    // `budget_floats` is the memory bound in floats; at least two full rows are always allowed.
    RowCache(int rows, std::size_t budget_floats);
    ~RowCache();
    RowCache(const RowCache&) = delete;
    RowCache& operator=(const RowCache&) = delete;

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
        int len = 0;    // > 0 exactly when the row holds a slot and is in the LRU list
        int slot = -1;
    };
    float* slot_data(int slot) const { return m_arena + static_cast<std::size_t>(slot) * m_row_floats; }
    int take_slot();
    void unlink(int i);
    void push_back(int i);  // most recently used at the back
    void drop(int i);

    std::vector<Head> m_heads;  // m_heads[rows] is the list sentinel
    int m_sentinel;
    std::size_t m_row_floats;
    int m_slots;                 // slots in the arena
    int m_fresh = 0;             // slots [m_fresh, m_slots) never handed out yet
    std::vector<int> m_free;     // slots given back by dropped rows
    float* m_arena = nullptr;
    std::size_t m_arena_bytes = 0;
};

}  // namespace logad::model::ocsvm
