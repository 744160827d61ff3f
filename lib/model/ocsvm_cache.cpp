#include "ocsvm_cache.hpp"

#include <algorithm>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace logad::model::ocsvm {
namespace {

// Zeroed, lazily committed memory: untouched slots cost nothing. On Linux an anonymous mapping
// advised for transparent huge pages (one fault per 2 MiB instead of per 4 KiB).
float* map_arena(std::size_t bytes) {
#if defined(__linux__)
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, bytes, MADV_HUGEPAGE);  // advice only: fine if refused
    return static_cast<float*>(p);
#else
    return static_cast<float*>(::operator new(bytes));
#endif
}

void unmap_arena(float* p, std::size_t bytes) {
#if defined(__linux__)
    ::munmap(p, bytes);
#else
    (void)bytes;
    ::operator delete(p);
#endif
}

}  // namespace

RowCache::RowCache(int rows, std::size_t budget_floats)
    : m_heads(static_cast<std::size_t>(rows) + 1), m_sentinel(rows),
      m_row_floats(static_cast<std::size_t>(std::max(rows, 1))) {
    const std::size_t slots = std::clamp<std::size_t>(budget_floats / m_row_floats, 2, static_cast<std::size_t>(std::max(rows, 2)));
    m_slots = static_cast<int>(slots);
    m_arena_bytes = slots * m_row_floats * sizeof(float);
    m_arena = map_arena(m_arena_bytes);
    m_heads[m_sentinel].prev = m_heads[m_sentinel].next = m_sentinel;
}

RowCache::~RowCache() { unmap_arena(m_arena, m_arena_bytes); }

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
    m_free.push_back(h.slot);
    h.slot = -1;
    h.len = 0;
}

// Reused slots first (already touched), then fresh ones in order (the touched part of the arena
// stays contiguous), else the least recently used row gives up its slot.
int RowCache::take_slot() {
    if (m_free.empty()) {
        if (m_fresh < m_slots) return m_fresh++;
        drop(m_heads[m_sentinel].next);
    }
    const int s = m_free.back();
    m_free.pop_back();
    return s;
}

RowCache::Slot RowCache::get(int i, int len) {
    if (len <= 0) return {m_heads[i].len > 0 ? slot_data(m_heads[i].slot) : nullptr, 0};
    if (m_heads[i].len > 0) unlink(i);
    else m_heads[i].slot = take_slot();  // may evict: take the slot before holding a reference
    Head& h = m_heads[i];
    const int valid = h.len;
    h.len = std::max(h.len, len);
    push_back(i);
    return {slot_data(h.slot), std::min(valid, len)};
}

void RowCache::swap_index(int i, int j) {
    if (i == j) return;
    if (m_heads[i].len > 0) unlink(i);
    if (m_heads[j].len > 0) unlink(j);
    std::swap(m_heads[i].slot, m_heads[j].slot);
    std::swap(m_heads[i].len, m_heads[j].len);
    if (m_heads[i].len > 0) push_back(i);
    if (m_heads[j].len > 0) push_back(j);
    if (i > j) std::swap(i, j);
    for (int r = m_heads[m_sentinel].next; r != m_sentinel;) {
        Head& h = m_heads[r];
        const int next = h.next;
        if (h.len > i) {
            float* d = slot_data(h.slot);
            if (h.len > j) std::swap(d[i], d[j]);
            else drop(r);
        }
        r = next;
    }
}

}  // namespace logad::model::ocsvm
