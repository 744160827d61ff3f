#include "ocsvm_cache.hpp"

#include <algorithm>
#include <utility>

namespace logad::model::ocsvm {

RowCache::RowCache(int rows, std::size_t budget_floats)
    : m_heads(static_cast<std::size_t>(rows) + 1), m_sentinel(rows),
      m_free(std::max(budget_floats, 2 * static_cast<std::size_t>(rows))) {
    m_heads[m_sentinel].prev = m_heads[m_sentinel].next = m_sentinel;
}

void RowCache::unlink(int i) {
    Head& h = m_heads[i];
    m_heads[h.prev].next = h.next;
    m_heads[h.next].prev = h.prev;
}

void RowCache::push_back(int i) {
    Head& h = m_heads[i];
    h.next = m_sentinel;
    h.prev = m_heads[m_sentinel].prev;
    m_heads[h.prev].next = i;
    m_heads[m_sentinel].prev = i;
}

void RowCache::drop(int i) {
    Head& h = m_heads[i];
    unlink(i);
    m_free += static_cast<std::size_t>(h.len);
    h.data.reset();
    h.len = 0;
}

RowCache::Slot RowCache::get(int i, int len) {
    Head& h = m_heads[i];
    if (h.len > 0) unlink(i);
    const int valid = h.len;
    if (len > valid) {
        const auto more = static_cast<std::size_t>(len - valid);
        // Evict least recently used rows until the extension fits.
        while (m_free < more) {
            const int victim = m_heads[m_sentinel].next;
            drop(victim);
        }
        std::unique_ptr<float[]> grown(new float[static_cast<std::size_t>(len)]);
        if (valid > 0) std::copy_n(h.data.get(), valid, grown.get());
        h.data = std::move(grown);
        h.len = len;
        m_free -= more;
    }
    push_back(i);
    return {h.data.get(), std::min(valid, len)};
}

void RowCache::swap_index(int i, int j) {
    if (i == j) return;
    if (m_heads[i].len > 0) unlink(i);
    if (m_heads[j].len > 0) unlink(j);
    std::swap(m_heads[i].data, m_heads[j].data);
    std::swap(m_heads[i].len, m_heads[j].len);
    if (m_heads[i].len > 0) push_back(i);
    if (m_heads[j].len > 0) push_back(j);
    if (i > j) std::swap(i, j);
    for (int r = m_heads[m_sentinel].next; r != m_sentinel;) {
        Head& h = m_heads[r];
        const int next = h.next;
        if (h.len > i) {
            if (h.len > j) std::swap(h.data[i], h.data[j]);
            else drop(r);
        }
        r = next;
    }
}

}  // namespace logad::model::ocsvm
