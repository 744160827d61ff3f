#pragma once
// Threads kept for a reader's lifetime that take numbered parts of a job with the caller. A
// fork-join per job (thread start, join) cost the table reader more than it gained on a loaded
// machine: a job is a buffer of lines, about a millisecond of work, and a join waited for a
// thread the scheduler had not run yet. Here the caller takes parts too and waits only for
// parts a worker started, so a worker that never ran costs nothing.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace logad::io {

class PartWorkers {
public:
    explicit PartWorkers(int workers);  // threads besides the caller
    ~PartWorkers();
    PartWorkers(const PartWorkers&) = delete;
    PartWorkers& operator=(const PartWorkers&) = delete;

    // Calls part(i) for every i in [0, n), each once, on the caller's thread and the workers';
    // returns when all are done. The first exception a part throws is rethrown here.
    void run(std::size_t n, const std::function<void(std::size_t)>& part);

private:
    void work();
    void take_parts(std::uint64_t job);

    std::mutex m_mutex;
    std::condition_variable m_wake;  // a new job, or stop
    std::condition_variable m_done;  // the last part of a job finished
    std::uint64_t m_job = 0;         // the current job's number
    std::atomic<std::size_t> m_parts{0};
    const std::function<void(std::size_t)>* m_part = nullptr;
    std::size_t m_finished = 0;      // parts of the current job done
    bool m_stop = false;
    std::exception_ptr m_error;
    // The job's number (high 32 bits) and its next part (low 32): a worker late for one job
    // cannot take a part of the next.
    std::atomic<std::uint64_t> m_next{0};
    std::vector<std::thread> m_threads;
};

}  // namespace logad::io
