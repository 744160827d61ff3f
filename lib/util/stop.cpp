#include <logad/util/stop.hpp>

#include <atomic>

namespace logad::util {
namespace {
// Lock-free, so a signal handler may store to it.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);
}  // namespace

void request_stop() noexcept { g_stop.store(true, std::memory_order_relaxed); }
bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }

}  // namespace logad::util
