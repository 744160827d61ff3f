#pragma once
// Publishes records (anomalies as NDJSON objects) to a Kafka topic. publish() queues and returns;
// flush() waits until everything queued is acknowledged by the brokers and throws OutputError if
// any message could not be delivered (librdkafka retries for message.timeout.ms first), so a
// consumer that flushes before committing its input offsets never loses an anomaly.
#include <logad/export.hpp>
#include <logad/kafka/client.hpp>

#include <cstdint>
#include <string>
#include <string_view>

struct rd_kafka_s;
struct rd_kafka_topic_s;
struct rd_kafka_message_s;

namespace logad::kafka {

struct PublisherSettings : ClientSettings {
    std::string topic;
};

struct PublisherStats {
    std::uint64_t published = 0;  // queued by publish()
    std::uint64_t delivered = 0;  // acknowledged
    std::uint64_t failed = 0;
};

class LOGAD_API Publisher {
public:
    // Throws InputError when the brokers cannot be reached or the topic does not exist.
    explicit Publisher(PublisherSettings settings);
    ~Publisher();  // waits a short while for what is queued, without throwing
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    void publish(std::string_view value, std::string_view key = {});
    void flush(int timeout_ms = 60000);

    const PublisherStats& stats() const noexcept { return m_stats; }
    const PublisherSettings& settings() const noexcept { return m_settings; }

private:
    friend struct PublisherCallbacks;
    void on_delivery(const rd_kafka_message_s* msg);

    PublisherSettings m_settings;
    rd_kafka_s* m_rk = nullptr;
    rd_kafka_topic_s* m_topic = nullptr;
    PublisherStats m_stats;
    std::string m_first_failure;
};

}  // namespace logad::kafka
