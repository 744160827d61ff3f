#include <logad/kafka/topic_stream.hpp>

#include <logad/util/stop.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cstring>

namespace logad::kafka {
namespace {
constexpr std::size_t k_topic_batch = 1000;  // messages between forced flushes
constexpr int k_topic_stop_check_ms = 200;   // how often a wait looks at SIGINT/SIGTERM
}  // namespace

TopicStream::TopicStream(GroupConsumer& consumer)
    : m_consumer(consumer), m_name(fmt::format("kafka topic {}", consumer.settings().topic)) {}

std::size_t TopicStream::read(char* buf, std::size_t size) {
    while (m_pos == m_batch.size()) {
        if (util::stop_requested()) return 0;
        refill(k_topic_stop_check_ms);
    }
    if (util::stop_requested()) return 0;  // the batch left is not marked done: read again later
    std::size_t n = 0;
    while (n < size && m_pos < m_batch.size()) {
        const std::string& v = m_batch[m_pos].value;
        const bool add_newline = v.empty() || v.back() != '\n';
        const std::size_t total = v.size() + (add_newline ? 1 : 0);
        const std::size_t take = std::min(size - n, total - m_off);
        const std::size_t from_value = m_off < v.size() ? std::min(take, v.size() - m_off) : 0;
        std::memcpy(buf + n, v.data() + m_off, from_value);
        if (take > from_value) buf[n + from_value] = '\n';
        n += take;
        m_off += take;
        if (m_off == total) {
            ++m_pos;
            m_off = 0;
        }
    }
    return n;
}

bool TopicStream::ready() {
    if (util::stop_requested() || m_pos < m_batch.size()) return true;
    m_flush_coming = true;  // the reader flushes scoring and output before it waits
    return false;
}

bool TopicStream::wait_ready(int timeout_ms) {
    if (util::stop_requested() || m_pos < m_batch.size()) return true;
    if (m_flush_coming) {
        m_flush_coming = false;
        m_consumer.mark_done();
    }
    m_consumer.commit_if_due();
    for (int waited = 0; timeout_ms < 0 || waited < timeout_ms; waited += k_topic_stop_check_ms) {
        if (util::stop_requested()) return true;
        const int slice = timeout_ms < 0 ? k_topic_stop_check_ms : std::min(k_topic_stop_check_ms, timeout_ms - waited);
        if (refill(slice)) return true;
    }
    return false;
}

bool TopicStream::refill(int timeout_ms) {
    m_batch.clear();
    m_pos = m_off = 0;
    return m_consumer.fetch(m_batch, k_topic_batch, timeout_ms) > 0;
}

}  // namespace logad::kafka
