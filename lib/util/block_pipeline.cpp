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
    Pipeline(std::size_t slots, const BlockSteps& steps)
        : m_steps(steps), m_slots(std::max<std::size_t>(slots, 1)), m_turn(steps.steps.size()) {}

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
    bool take(std::size_t& slot);
    bool advance(std::size_t slot, bool more);
    bool run_step(std::size_t slot, int worker);

    const BlockSteps& m_steps;
    std::vector<Slot> m_slots;
    std::vector<Turn> m_turn;          // by step
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_blocks = 0;        // blocks read so far (the next read gets this seq)
    std::uint64_t m_passed = 0;        // blocks through every step
    bool m_read_busy = false;
    bool m_input_done = false;
    std::exception_ptr m_error;
};

// The step to run next (lock held): later steps first, so blocks in flight move on before new
// ones are read; among equals the oldest block. Marks it running.
bool Pipeline::take(std::size_t& slot) {
    std::size_t best = m_slots.size();
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        const Slot& s = m_slots[i];
        if (s.free || s.running || !ready(s)) continue;
        if (best == m_slots.size() || s.step > m_slots[best].step ||
            (s.step == m_slots[best].step && s.seq < m_slots[best].seq))
            best = i;
    }
    if (best == m_slots.size() && !m_read_busy && !m_input_done)
        for (std::size_t i = 0; i < m_slots.size() && best == m_slots.size(); ++i)
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
    if (!ready(s)) return false;  // waits for its turn; whoever ends the turn before takes it
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
        std::lock_guard lock(m_mutex);
        const bool again = advance(slot, more);
        // Each change may make one step ready for another worker (a turn ended, a slot freed).
        if (done()) m_changed.notify_all();
        else m_changed.notify_one();
        return again && !m_error;  // no step starts after an error
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
            m_changed.wait(lock, [&] { return done() || take(slot); });
            if (done()) return;
        }
        while (run_step(slot, worker)) {
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
