// util::run_block_pipeline: the in-order steps see blocks in input order whatever the parallel
// steps take, a slot holds one block at a time, and a step's exception comes back to the caller.
#include <logad/util/block_pipeline.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace logad::test {
namespace {

// A little uneven work, so that the parallel steps finish out of order.
void uneven_pause(std::size_t n) {
    if (n % 3 == 0) std::this_thread::sleep_for(std::chrono::microseconds(n % 150));
}

constexpr std::size_t k_slots = 4;

// Blocks numbered 0 .. total-1; what each in-order step saw, and whether two blocks ever shared a slot.
struct Trace {
    std::size_t total = 0;
    std::size_t read = 0;
    std::vector<std::size_t> block_of = std::vector<std::size_t>(k_slots);
    std::vector<std::atomic<int>> busy = std::vector<std::atomic<int>>(k_slots);
    std::vector<std::size_t> folded, delivered;
    std::atomic<int> shared{0};
    std::vector<int> reader = std::vector<int>(k_slots);  // the worker that read the slot's block
    std::atomic<int> moved{0};  // steps run by another worker than the one that read the block
    void same_worker(std::size_t slot, int worker) {
        if (reader[slot] != worker) ++moved;
    }
    std::atomic<int> spread_count{0}, finished{0};

    util::BlockSteps steps() {
        util::BlockSteps s;
        s.read = [this](std::size_t slot, int worker) {
            if (busy[slot].fetch_add(1) != 0) ++shared;
            block_of[slot] = read++;
            reader[slot] = worker;
            return read < total;
        };
        const auto spread = [this](std::size_t slot, int worker) {
            same_worker(slot, worker);
            uneven_pause(block_of[slot] * 7);
            ++spread_count;
        };
        const auto fold = [this](std::size_t slot, int worker) {
            same_worker(slot, worker);
            folded.push_back(block_of[slot]);
        };
        const auto finish = [this](std::size_t slot, int worker) {
            same_worker(slot, worker);
            uneven_pause(block_of[slot] * 5);
            ++finished;
        };
        const auto deliver = [this](std::size_t slot, int worker) {
            same_worker(slot, worker);
            delivered.push_back(block_of[slot]);
            busy[slot].fetch_sub(1);
        };
        s.steps = {{spread, false}, {fold, true}, {finish, false}, {deliver, true}};
        return s;
    }
};

std::vector<std::size_t> up_to(std::size_t n) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = i;
    return v;
}

}  // namespace

TEST_CASE("block pipeline folds and delivers in input order", "[util][threads]") {
    for (const int workers : {1, 2, 3, 8}) {
        Trace trace;
        trace.total = 300;
        const util::BlockSteps steps = trace.steps();
        util::run_block_pipeline(workers, k_slots, steps);
        INFO("workers " << workers);
        REQUIRE(trace.folded == up_to(300));
        REQUIRE(trace.delivered == up_to(300));
        REQUIRE(trace.spread_count == 300);
        REQUIRE(trace.finished == 300);
        REQUIRE(trace.shared == 0);
        // each block stays with the worker that read it (its data stays in one core's cache)
        REQUIRE(trace.moved == 0);
    }
}

TEST_CASE("block pipeline with an input of one empty block", "[util][threads]") {
    Trace trace;
    trace.total = 1;
    const util::BlockSteps steps = trace.steps();
    util::run_block_pipeline(2, k_slots, steps);
    REQUIRE(trace.delivered == up_to(1));
}

TEST_CASE("block pipeline rethrows the first error of any step and stops", "[util][threads]") {
    for (int failing = 0; failing < 5; ++failing) {
        for (const int workers : {1, 2, 4}) {
            Trace trace;
            trace.total = 1000;
            util::BlockSteps steps = trace.steps();
            const auto wrap = [&trace, failing](std::function<void(std::size_t, int)> inner, int kind) {
                return [&trace, failing, kind, inner](std::size_t slot, int worker) {
                    if (kind == failing && trace.block_of[slot] == 40) throw std::runtime_error("step failed");
                    inner(slot, worker);
                };
            };
            if (failing == 0) {
                auto inner = steps.read;
                steps.read = [&trace, inner](std::size_t slot, int worker) {
                    if (trace.read == 40) throw std::runtime_error("step failed");
                    return inner(slot, worker);
                };
            }
            for (std::size_t k = 0; k < steps.steps.size(); ++k)
                steps.steps[k].run = wrap(steps.steps[k].run, static_cast<int>(k) + 1);
            INFO("failing step " << failing << ", workers " << workers);
            REQUIRE_THROWS_WITH(util::run_block_pipeline(workers, k_slots, steps), "step failed");
            REQUIRE(trace.delivered.size() <= 40);
            // only the steps already running when it failed may end; none of the later blocks' reads
            REQUIRE(trace.read <= 40 + k_slots + 1);
        }
    }
}

}  // namespace logad::test

namespace logad::test {

TEST_CASE("block pipeline runs the parallel steps of different blocks at the same time", "[util][threads]") {
    // Steps that wait rather than compute, so the load of the machine does not matter: with 4
    // workers the 10 ms waits of 40 blocks overlap (about 100 ms); one after the other they would
    // take 400 ms.
    std::atomic<int> running{0}, most{0};
    util::BlockSteps steps;
    std::size_t blocks = 0;
    steps.read = [&](std::size_t, int) { return ++blocks < 40; };
    const auto wait = [&](std::size_t, int) {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        --running;
    };
    steps.steps = {{wait, false}, {[](std::size_t, int) {}, true}};
    const auto start = std::chrono::steady_clock::now();
    util::run_block_pipeline(4, 8, steps);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(most.load() >= 2);
    CHECK(took < std::chrono::milliseconds(300));
}

}  // namespace logad::test
