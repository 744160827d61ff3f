#include "part_workers.hpp"

namespace logad::io {

PartWorkers::PartWorkers(int workers) {
    for (int i = 0; i < workers; ++i) m_threads.emplace_back([this] { work(); });
}

PartWorkers::~PartWorkers() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads) t.join();
}

// Parts of job `job` while it has any left: m_part and m_parts stay valid meanwhile, since the
// job cannot end before a part taken here is finished.
void PartWorkers::take_parts(std::uint64_t job) {
    for (;;) {
        std::uint64_t next = m_next.load();
        do {
            if ((next >> 32) != (job & 0xFFFFFFFF) || (next & 0xFFFFFFFF) >= m_parts) return;
        } while (!m_next.compare_exchange_weak(next, next + 1));
        try {
            (*m_part)(static_cast<std::size_t>(next & 0xFFFFFFFF));
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_error) m_error = std::current_exception();
        }
        std::lock_guard lock(m_mutex);
        if (++m_finished == m_parts) m_done.notify_all();
    }
}

void PartWorkers::work() {
    std::uint64_t seen = 0;
    for (;;) {
        std::uint64_t job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_job != seen; });
            if (m_stop) return;
            job = seen = m_job;
        }
        take_parts(job);
    }
}

void PartWorkers::run(std::size_t n, const std::function<void(std::size_t)>& part) {
    if (n == 0) return;
    std::uint64_t job;
    {
        std::lock_guard lock(m_mutex);
        job = ++m_job;
        m_parts = n;
        m_part = &part;
        m_finished = 0;
        m_error = nullptr;
        m_next.store((job & 0xFFFFFFFF) << 32);
    }
    m_wake.notify_all();
    take_parts(job);
    std::exception_ptr error;
    {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [&] { return m_finished == m_parts; });
        error = m_error;
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace logad::io
