#include <logad/receive/line_queue.hpp>

#include <logad/util/stop.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace logad::receive {
namespace {

constexpr int k_stop_check_ms = 200;  // how often a wait looks at SIGINT/SIGTERM

class QueueSource final : public io::ByteSource {
public:
    QueueSource(LineQueue& queue, std::string name) : m_queue(queue), m_name(std::move(name)) {}

    std::size_t read(char* buf, std::size_t size) override {
        if (util::stop_requested() && !m_stopping) {  // read what is queued now, take nothing more
            m_stopping = true;
            m_queue.close();
        }
        while (m_pos == m_buffer.size()) {
            m_buffer.clear();
            m_pos = 0;
            if (m_queue.take(m_buffer, k_take_bytes) > 0) break;
            if (!m_queue.readable()) {
                m_queue.wait(-1);
                continue;
            }
            return 0;  // closed or stopping, and nothing left
        }
        const std::size_t n = std::min(size, m_buffer.size() - m_pos);
        std::memcpy(buf, m_buffer.data() + m_pos, n);
        m_pos += n;
        return n;
    }
    bool ready() override { return m_pos < m_buffer.size() || m_queue.readable(); }
    bool wait_ready(int timeout_ms) override { return m_pos < m_buffer.size() || m_queue.wait(timeout_ms); }
    const std::string& name() const override { return m_name; }

private:
    static constexpr std::size_t k_take_bytes = std::size_t(256) << 10;
    LineQueue& m_queue;
    std::string m_name;
    std::string m_buffer;  // messages taken from the queue, not handed out yet
    std::size_t m_pos = 0;
    bool m_stopping = false;
};

}  // namespace

LineQueue::LineQueue(QueueLimits limits) : m_limits(limits) {}

bool LineQueue::push(std::string_view message) {
    {
        std::lock_guard lock(m_mu);
        if (m_closed) {
            m_late.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        if (m_messages.size() >= m_limits.max_messages || m_bytes + message.size() > m_limits.max_bytes) {
            m_dropped.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        m_messages.emplace_back(message);
        m_bytes += message.size();
        m_accepted.fetch_add(1, std::memory_order_relaxed);
    }
    m_cv.notify_one();
    return true;
}

void LineQueue::close() {
    {
        std::lock_guard lock(m_mu);
        m_closed = true;
    }
    m_cv.notify_all();
}

bool LineQueue::closed() const {
    std::lock_guard lock(m_mu);
    return m_closed;
}

std::size_t LineQueue::length() const {
    std::lock_guard lock(m_mu);
    return m_messages.size();
}

std::size_t LineQueue::take(std::string& out, std::size_t want) {
    std::lock_guard lock(m_mu);
    std::size_t n = 0;
    while (!m_messages.empty() && (n == 0 || out.size() < want)) {
        std::string& m = m_messages.front();
        out += m;
        out += '\n';
        m_bytes -= m.size();
        m_messages.pop_front();
        ++n;
    }
    return n;
}

bool LineQueue::readable() const {
    std::lock_guard lock(m_mu);
    return !m_messages.empty() || m_closed || util::stop_requested();
}

bool LineQueue::wait(int timeout_ms) {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));
    std::unique_lock lock(m_mu);
    for (;;) {
        if (!m_messages.empty() || m_closed || util::stop_requested()) return true;
        // The stop flag is set from a signal handler, which cannot notify: look at it regularly.
        auto slice = Clock::now() + std::chrono::milliseconds(k_stop_check_ms);
        if (timeout_ms >= 0) {
            if (Clock::now() >= until) return false;
            slice = std::min(slice, until);
        }
        m_cv.wait_until(lock, slice);
    }
}

std::unique_ptr<io::ByteSource> queue_source(LineQueue& queue, std::string name) {
    return std::make_unique<QueueSource>(queue, std::move(name));
}

}  // namespace logad::receive
