#pragma once
// A Kafka cluster inside this process, from librdkafka's mock brokers: the real Kafka protocol
// on 127.0.0.1 ports, topics, consumer groups and committed offsets, no JVM. For tests and
// demos: other processes reach it at bootstrap() for as long as this object lives.
#include <logad/export.hpp>
#include <cstdint>
#include <string>
#include <vector>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace logad::kafka {

class LOGAD_API MockCluster {
public:
    explicit MockCluster(int brokers = 1);
    ~MockCluster();
    MockCluster(const MockCluster&) = delete;
    MockCluster& operator=(const MockCluster&) = delete;

    const std::string& bootstrap() const noexcept { return m_bootstrap; }
    void create_topic(const std::string& topic, int partitions);
    // Produces `values` to one partition (-1: spread round-robin over `partitions`), waiting
    // until all are acknowledged. Throws OutputError on failure.
    void produce(const std::string& topic, const std::vector<std::string>& values, std::int32_t partition = -1,
                 int partitions = 1);
    // Every message value now in the topic, from the start (for tests of what was published).
    std::vector<std::string> read_all(const std::string& topic, int partitions);

private:
    rd_kafka_s* m_rk = nullptr;
    rd_kafka_mock_cluster_s* m_cluster = nullptr;
    std::string m_bootstrap;
};

}  // namespace logad::kafka
