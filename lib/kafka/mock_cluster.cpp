#include <logad/kafka/mock_cluster.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>

namespace logad::kafka {
namespace {

using Handle = std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)>;

Handle client(rd_kafka_type_t type, const std::vector<std::pair<std::string, std::string>>& props) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    for (const auto& [k, v] : props)
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            throw UsageError(fmt::format("mock Kafka client: {}", err));
        }
    rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
    if (rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw UsageError(fmt::format("mock Kafka client: {}", err));
    }
    return Handle(rk, rd_kafka_destroy);
}

}  // namespace

MockCluster::MockCluster(int brokers) {
    // The handle only keeps the cluster's books; it is quiet and never connects anywhere.
    m_rk = client(RD_KAFKA_PRODUCER, {{"log_level", "0"}}).release();
    m_cluster = rd_kafka_mock_cluster_new(m_rk, brokers);
    if (m_cluster == nullptr) {
        rd_kafka_destroy(m_rk);
        throw InputError("cannot start librdkafka's mock Kafka cluster");
    }
    m_bootstrap = rd_kafka_mock_cluster_bootstraps(m_cluster);
}

MockCluster::~MockCluster() {
    rd_kafka_mock_cluster_destroy(m_cluster);
    rd_kafka_destroy(m_rk);
}

void MockCluster::create_topic(const std::string& topic, int partitions) {
    if (const auto err = rd_kafka_mock_topic_create(m_cluster, topic.c_str(), partitions, 1))
        throw InputError(fmt::format("mock Kafka: cannot create topic {}: {}", topic, rd_kafka_err2str(err)));
}

void MockCluster::produce(const std::string& topic, const std::vector<std::string>& values, std::int32_t partition,
                          int partitions) {
    Handle p = client(RD_KAFKA_PRODUCER, {{"bootstrap.servers", m_bootstrap}, {"log_level", "0"}, {"linger.ms", "1"}});
    std::size_t i = 0;
    for (const std::string& v : values) {
        const std::int32_t part = partition >= 0 ? partition : static_cast<std::int32_t>(i++ % static_cast<std::size_t>(partitions));
        for (;;) {
            const auto err = rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(part),
                                               RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()),
                                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                throw OutputError(fmt::format("mock Kafka: cannot produce to {}: {}", topic, rd_kafka_err2str(err)));
            rd_kafka_poll(p.get(), 100);
        }
    }
    if (rd_kafka_flush(p.get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw OutputError(fmt::format("mock Kafka: messages to {} were not acknowledged", topic));
}

std::vector<std::string> MockCluster::read_all(const std::string& topic, int partitions) {
    Handle c = client(RD_KAFKA_CONSUMER, {{"bootstrap.servers", m_bootstrap}, {"log_level", "0"},
                                          {"enable.partition.eof", "true"}, {"group.id", "logad-mock-reader"},
                                          {"enable.auto.commit", "false"}});
    std::unique_ptr<rd_kafka_topic_partition_list_t, void (*)(rd_kafka_topic_partition_list_t*)> parts(
        rd_kafka_topic_partition_list_new(partitions), rd_kafka_topic_partition_list_destroy);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_topic_partition_list_add(parts.get(), topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(c.get(), parts.get());
    std::vector<std::string> out;
    int at_end = 0;
    for (int idle = 0; at_end < partitions && idle < 100;) {  // up to 10 s without any message
        rd_kafka_message_t* m = rd_kafka_consumer_poll(c.get(), 100);
        if (m == nullptr) {
            ++idle;
            continue;
        }
        idle = 0;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
            ++at_end;
        else if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
            out.emplace_back(static_cast<const char*>(m->payload), m->len);
        rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(c.get());
    return out;
}

}  // namespace logad::kafka
