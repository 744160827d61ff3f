#include <logad/util/block_pipeline.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>

namespace logad::util {
namespace {

constexpr int k_read = -1;  // the step number of read; the caller's steps are 0, 1, ...

class Pipeline {
public:
    Pipeline(int workers, std::size_t slots, const BlockSteps& steps)
        : m_steps(steps), m_workers(static_cast<std::size_t>(workers)), m_slots(slots), m_turn(steps.steps.size()) {}

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
        bool free = true;
        bool running = false;
        int step = 0;  // the next step to run (waiting) or the one running
        std::uint64_t seq = 0;
    };
    struct Turn {  // of an in-order step
        std::uint64_t next = 0;  // the seq whose turn it is
        bool busy = false;
    };

    bool done() const { return m_error || (m_input_done && m_passed == m_blocks); }
    bool ready(const Slot& s) const {
        const BlockStep& step = m_steps.steps[static_cast<std::size_t>(s.step)];
        return !step.in_order || (!m_turn[static_cast<std::size_t>(s.step)].busy && m_turn[static_cast<std::size_t>(s.step)].next == s.seq);
    }
    void start(Slot& s) {
        s.running = true;
        if (s.step != k_read && m_steps.steps[static_cast<std::size_t>(s.step)].in_order)
            m_turn[static_cast<std::size_t>(s.step)].busy = true;
    }
    bool take(std::size_t& slot, int worker);
    bool advance(std::size_t slot, bool more);
    bool run_step(std::size_t slot, int worker);

    const BlockSteps& m_steps;
    std::size_t m_workers;
    std::vector<Slot> m_slots;         // slot i belongs to worker i % m_workers
    std::vector<Turn> m_turn;          // by step
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_blocks = 0;        // blocks read so far (the next read gets this seq)
    std::uint64_t m_passed = 0;        // blocks through every step
    bool m_read_busy = false;
    bool m_input_done = false;
    std::exception_ptr m_error;
};

// The step `worker` runs next (lock held): later steps first, so blocks in flight move on
// before new ones are read; among equals the oldest block. Marks it running. A worker runs only
// the blocks of its own slots, and reads block number k only when k % workers is its number:
// every step of a block runs on one thread, so the block's records, masks and text stay in one
// core's cache and in that thread's malloc arena. (Handing blocks to whichever thread was free
// cost a third more CPU time for the same work: each block's data crossed cores twice.)
bool Pipeline::take(std::size_t& slot, int worker) {
    const auto mine = static_cast<std::size_t>(worker);
    std::size_t best = m_slots.size();
    for (std::size_t i = mine; i < m_slots.size(); i += m_workers) {
        const Slot& s = m_slots[i];
        if (s.free || s.running || !ready(s)) continue;
        if (best == m_slots.size() || s.step > m_slots[best].step ||
            (s.step == m_slots[best].step && s.seq < m_slots[best].seq))
            best = i;
    }
    if (best == m_slots.size() && !m_read_busy && !m_input_done && m_blocks % m_workers == mine)
        for (std::size_t i = mine; i < m_slots.size() && best == m_slots.size(); i += m_workers)
            if (m_slots[i].free) {
                best = i;
                Slot& s = m_slots[i];
                s.free = false;
                s.step = k_read;
                s.seq = m_blocks++;
                m_read_busy = true;
            }
    if (best == m_slots.size()) return false;
    slot = best;
    start(m_slots[best]);
    return true;
}

// After a step on `slot` (lock held): true when the same worker runs the block's next step now.
bool Pipeline::advance(std::size_t slot, bool more) {
    Slot& s = m_slots[slot];
    s.running = false;
    if (s.step == k_read) {
        m_read_busy = false;
        if (!more) m_input_done = true;
    } else if (m_steps.steps[static_cast<std::size_t>(s.step)].in_order) {
        Turn& turn = m_turn[static_cast<std::size_t>(s.step)];
        turn.busy = false;
        ++turn.next;
    }
    ++s.step;
    if (static_cast<std::size_t>(s.step) == m_steps.steps.size()) {
        s.free = true;
        ++m_passed;
        return false;
    }
    if (!ready(s)) return false;  // waits for its turn; its worker takes it when the turn comes
    start(s);
    return true;
}

// Runs the slot's step without the lock; false when the worker is to look for other work.
bool Pipeline::run_step(std::size_t slot, int worker) {
    try {
        const int step = m_slots[slot].step;  // only this worker changes a running slot
        bool more = true;
        if (step == k_read) more = m_steps.read(slot, worker);
        else if (const auto& run = m_steps.steps[static_cast<std::size_t>(step)].run) run(slot, worker);
        bool again = false;
        {
            std::lock_guard lock(m_mutex);
            again = advance(slot, more) && !m_error;  // no step starts after an error
        }
        // Each change may make a step ready for another worker (a turn ended, a slot freed), and
        // only its owner may run it.
        m_changed.notify_all();
        return again;
    } catch (...) {
        fail(std::current_exception());
        return false;
    }
}

void Pipeline::work(int worker) {
    for (;;) {
        std::size_t slot = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return done() || take(slot, worker); });
            if (done()) return;
        }
        while (run_step(slot, worker)) {
        }
    }
}

}  // namespace

void run_block_pipeline(int workers, std::size_t slots, const BlockSteps& steps) {
    slots = std::max<std::size_t>(slots, 1);
    workers = static_cast<int>(std::clamp<std::size_t>(static_cast<std::size_t>(std::max(workers, 1)), 1, slots));  // a worker needs a slot
    Pipeline pipeline(workers, slots, steps);
    std::vector<std::thread> threads;
    try {
        for (int w = 1; w < workers; ++w) threads.emplace_back([&pipeline, w] { pipeline.work(w); });
    } catch (...) {  // could not start a thread: stop those started
        pipeline.fail(std::current_exception());
    }
    if (!pipeline.error()) pipeline.work(0);
    for (std::thread& t : threads) t.join();
    if (pipeline.error()) std::rethrow_exception(pipeline.error());
}

}  // namespace logad::util
