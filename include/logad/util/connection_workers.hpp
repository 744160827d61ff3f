#pragma once
// A worker thread per job, up to `max` at once, for servers whose jobs are connections (cpp-httplib
// hands each accepted connection to a task queue, and a worker serves it until the client goes
// quiet). With a fixed pool, a few idle connections starve the others. Here each connection gets a
// worker of its own; at the cap enqueue() blocks, so the accept loop stops taking sockets (they
// wait in the kernel's backlog) and the descriptors held stay bounded. Workers are reused.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace logad::util {

class ConnectionWorkers {
public:
    explicit ConnectionWorkers(std::size_t max) : m_max(max) {}
    ~ConnectionWorkers() { shutdown(); }
    ConnectionWorkers(const ConnectionWorkers&) = delete;
    ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

    // Runs `fn` on a worker; blocks while `max` jobs are queued or running. Dropped after shutdown().
    void enqueue(std::function<void()> fn);
    // Lets running jobs finish, then joins every worker.
    void shutdown();

private:
    void work();

    const std::size_t m_max;
    std::mutex m_mu;
    std::condition_variable m_ready, m_room;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    std::size_t m_busy = 0;  // jobs queued or running
    std::size_t m_idle = 0;  // workers waiting for a job
    bool m_stop = false;
};

}  // namespace logad::util
