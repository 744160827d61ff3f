#include <logad/util/block_pipeline.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace logad::util {
namespace {

// Ranked: when several are ready, a higher kind is taken first, so the order-bound chain moves
// before new blocks are started.
enum StepKind : int { k_read, k_spread, k_finish, k_fold, k_deliver };

enum class BlockState : std::uint8_t { free, running, spread_done, finished };

class Pipeline {
public:
    Pipeline(std::size_t slots, const BlockSteps& steps) : m_steps(steps), m_slots(std::max<std::size_t>(slots, 1)) {}

    void work(int worker);
    std::exception_ptr error() {
        std::lock_guard lock(m_mutex);
        return m_error;
    }
    void fail(std::exception_ptr error) {
        std::lock_guard lock(m_mutex);
        if (!m_error) m_error = error;
        m_changed.notify_all();
    }

private:
    struct Slot {
        BlockState state = BlockState::free;
        std::uint64_t seq = 0;
    };

    bool done() const { return m_error || (m_input_done && m_next_deliver == m_blocks); }
    bool take(std::size_t& slot, int& step);
    bool run_step(std::size_t slot, int& step, int worker);
    bool chain(std::size_t slot, int& step, bool more);

    const BlockSteps& m_steps;
    std::vector<Slot> m_slots;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_blocks = 0;        // blocks read so far (the next read gets this seq)
    std::uint64_t m_next_fold = 0;     // seq the fold step takes next
    std::uint64_t m_next_deliver = 0;  // seq the deliver step takes next
    bool m_read_busy = false, m_fold_busy = false, m_deliver_busy = false;
    bool m_input_done = false;
    std::exception_ptr m_error;
};

bool Pipeline::take(std::size_t& slot, int& step) {
    std::size_t best = m_slots.size();
    int best_step = -1;
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        const Slot& s = m_slots[i];
        int kind = -1;
        if (s.state == BlockState::finished && !m_deliver_busy && s.seq == m_next_deliver) kind = k_deliver;
        else if (s.state == BlockState::spread_done && !m_fold_busy && s.seq == m_next_fold) kind = k_fold;
        else if (s.state == BlockState::free && !m_read_busy && !m_input_done) kind = k_read;
        if (kind > best_step) {
            best = i;
            best_step = kind;
        }
    }
    if (best_step < 0) return false;
    slot = best;
    step = best_step;
    Slot& s = m_slots[best];
    if (step == k_read) {
        s.seq = m_blocks++;
        m_read_busy = true;
    }
    if (step == k_fold) m_fold_busy = true;
    if (step == k_deliver) m_deliver_busy = true;
    s.state = BlockState::running;
    return true;
}

// After a step on `slot` (lock held): the step the same worker runs next on it, or false when
// the block must wait for its turn (then it is left for whoever's turn frees it).
bool Pipeline::chain(std::size_t slot, int& step, bool more) {
    Slot& s = m_slots[slot];
    switch (step) {
        case k_read:
            m_read_busy = false;
            if (!more) m_input_done = true;
            step = k_spread;
            return true;
        case k_spread:
            if (m_fold_busy || s.seq != m_next_fold) {
                s.state = BlockState::spread_done;
                return false;
            }
            m_fold_busy = true;
            step = k_fold;
            return true;
        case k_fold:
            ++m_next_fold;
            m_fold_busy = false;
            step = k_finish;
            return true;
        case k_finish:
            if (m_deliver_busy || s.seq != m_next_deliver) {
                s.state = BlockState::finished;
                return false;
            }
            m_deliver_busy = true;
            step = k_deliver;
            return true;
        default:
            s.state = BlockState::free;
            ++m_next_deliver;
            m_deliver_busy = false;
            return false;
    }
}

// Runs one step without the lock; false after an error (recorded).
bool Pipeline::run_step(std::size_t slot, int& step, int worker) {
    try {
        bool more = true;
        if (step == k_read) {
            more = m_steps.read(slot, worker);
        } else {
            const BlockSteps::Step& run = step == k_spread   ? m_steps.spread
                                          : step == k_fold   ? m_steps.fold
                                          : step == k_finish ? m_steps.finish
                                                             : m_steps.deliver;
            if (run) run(slot, worker);
        }
        std::lock_guard lock(m_mutex);
        const bool chained = chain(slot, step, more);
        // Each change may make one step ready for another worker (a token released, a slot freed).
        if (done()) m_changed.notify_all();
        else m_changed.notify_one();
        return chained;
    } catch (...) {
        fail(std::current_exception());
        return false;
    }
}

void Pipeline::work(int worker) {
    for (;;) {
        std::size_t slot = 0;
        int step = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return done() || take(slot, step); });
            if (done()) return;
        }
        while (run_step(slot, step, worker)) {
            std::lock_guard lock(m_mutex);
            if (m_error) return;  // no step starts after an error
        }
    }
}

}  // namespace

void run_block_pipeline(int workers, std::size_t slots, const BlockSteps& steps) {
    Pipeline pipeline(slots, steps);
    std::vector<std::thread> threads;
    try {
        for (int w = 1; w < std::max(workers, 1); ++w) threads.emplace_back([&pipeline, w] { pipeline.work(w); });
    } catch (...) {  // could not start a thread: stop those started
        pipeline.fail(std::current_exception());
    }
    if (!pipeline.error()) pipeline.work(0);
    for (std::thread& t : threads) t.join();
    if (pipeline.error()) std::rethrow_exception(pipeline.error());
}

}  // namespace logad::util
