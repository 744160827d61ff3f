#pragma once
// The bounded hand-over from receiver threads (producers) to the one thread that parses and
// scores (the consumer). It holds whole messages and is bounded twice, by messages and by bytes:
// a message that does not fit is dropped and counted, never waited for, so a slow scorer costs
// messages (counted), never memory, and a sender is never held up by the scorer.
//
// queue_source() reads the queue as a byte stream for io::LineReader: each message becomes one
// line (a '\n' added). A message's own line breaks are kept, so a multi-line message (a stack
// trace) arrives as the lines a file would hold. The stream ends when the queue is closed or a
// stop is requested (SIGINT/SIGTERM, util::stop_requested()), once what was queued is read.
#include <logad/export.hpp>
#include <logad/io/input.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace logad::receive {

struct QueueLimits {
    std::size_t max_messages = 100000;
    std::size_t max_bytes = std::size_t(64) << 20;
};

class LOGAD_API LineQueue {
public:
    explicit LineQueue(QueueLimits limits);

    // Queues a copy of `message`; false when it does not fit (dropped and counted) or the queue
    // is closed (counted apart: refused_after_close()).
    bool push(std::string_view message);
    // No more messages: the reader ends once it has read what is queued. The reader closes the
    // queue itself when a stop is requested, so a busy stream cannot keep it reading forever.
    void close();
    bool closed() const;
    std::uint64_t refused_after_close() const noexcept { return m_late.load(std::memory_order_relaxed); }

    std::uint64_t accepted() const noexcept { return m_accepted.load(std::memory_order_relaxed); }
    std::uint64_t dropped() const noexcept { return m_dropped.load(std::memory_order_relaxed); }
    std::size_t length() const;
    const QueueLimits& limits() const noexcept { return m_limits; }

    // Moves queued messages into `out` (appended, '\n' after each) until it holds about `want`
    // bytes; returns how many were taken.
    std::size_t take(std::string& out, std::size_t want);
    // Waits up to `timeout_ms` (-1: without limit) for a message, a close or a stop request;
    // true when one came.
    bool wait(int timeout_ms);
    bool readable() const;  // a message queued, or closed, or a stop requested

private:
    const QueueLimits m_limits;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<std::string> m_messages;
    std::size_t m_bytes = 0;
    bool m_closed = false;
    std::atomic<std::uint64_t> m_accepted{0}, m_dropped{0}, m_late{0};
};

// The queue as a byte source named `name` (e.g. "syslog tcp://127.0.0.1:5514").
LOGAD_API std::unique_ptr<io::ByteSource> queue_source(LineQueue& queue, std::string name);

}  // namespace logad::receive
