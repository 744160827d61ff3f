#include <logad/util/connection_workers.hpp>

namespace logad::util {

void ConnectionWorkers::enqueue(std::function<void()> fn) {
    std::unique_lock lock(m_mu);
    m_room.wait(lock, [&] { return m_busy < m_max || m_stop; });
    if (m_stop) return;
    ++m_busy;
    m_jobs.push_back(std::move(fn));
    if (m_idle < m_jobs.size())  // every waiting worker has a job already: one more
        m_threads.emplace_back([this] { work(); });
    else
        m_ready.notify_one();
}

void ConnectionWorkers::shutdown() {
    {
        std::lock_guard lock(m_mu);
        if (m_stop && m_threads.empty()) return;
        m_stop = true;
    }
    m_ready.notify_all();
    m_room.notify_all();
    for (std::thread& t : m_threads) t.join();
    m_threads.clear();
}

void ConnectionWorkers::work() {
    std::unique_lock lock(m_mu);
    for (;;) {
        while (m_jobs.empty() && !m_stop) {
            ++m_idle;
            m_ready.wait(lock);
            --m_idle;
        }
        if (m_jobs.empty()) return;  // stopping
        std::function<void()> fn = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        fn();  // e.g. serves a connection, then closes it
        lock.lock();
        --m_busy;
        m_room.notify_one();
    }
}

}  // namespace logad::util
