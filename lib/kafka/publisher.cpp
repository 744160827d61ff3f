#include <logad/kafka/publisher.hpp>

#include "client_config.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>

namespace logad::kafka {

struct PublisherCallbacks {
    static void delivered(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
        static_cast<Publisher*>(opaque)->on_delivery(msg);
    }
    // Without an error callback librdkafka logs each error a second time; failed deliveries are
    // what matters here, and flush() reports them.
    static void error(rd_kafka_t*, int, const char*, void*) {}
};

Publisher::Publisher(PublisherSettings settings) : m_settings(std::move(settings)) {
    if (m_settings.topic.empty()) throw UsageError("give the topic to publish anomalies to");
    rd_kafka_conf_t* conf = detail::make_conf(m_settings);
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_log_cb(conf, detail::forward_log<Publisher>);
    rd_kafka_conf_set_dr_msg_cb(conf, PublisherCallbacks::delivered);
    rd_kafka_conf_set_error_cb(conf, PublisherCallbacks::error);
    char err[512];
    m_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (m_rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw UsageError(fmt::format("cannot create a Kafka producer: {}", err));
    }
    detail::route_logs(m_rk);
    try {
        detail::check_topic(m_rk, m_settings, m_settings.topic, "publish");
    } catch (...) {
        rd_kafka_destroy(m_rk);
        throw;
    }
    m_topic = rd_kafka_topic_new(m_rk, m_settings.topic.c_str(), nullptr);
}

Publisher::~Publisher() {
    if (m_rk == nullptr) return;
    rd_kafka_flush(m_rk, 5000);
    if (m_topic != nullptr) rd_kafka_topic_destroy(m_topic);
    rd_kafka_destroy(m_rk);
}

void Publisher::publish(std::string_view value, std::string_view key) {
    for (;;) {
        const int rc = rd_kafka_produce(m_topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, const_cast<char*>(value.data()),
                                        value.size(), key.empty() ? nullptr : key.data(), key.size(), nullptr);
        if (rc == 0) break;
        const rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            throw OutputError(fmt::format("cannot publish to Kafka topic '{}': {}", m_settings.topic, rd_kafka_err2str(err)));
        rd_kafka_poll(m_rk, 100);  // the local queue is full: wait for deliveries to make room
    }
    ++m_stats.published;
    rd_kafka_poll(m_rk, 0);  // serve delivery reports and log lines
}

void Publisher::flush(int timeout_ms) {
    rd_kafka_flush(m_rk, timeout_ms);
    if (m_stats.failed > 0)
        throw OutputError(fmt::format("{} records could not be published to Kafka topic '{}' ({})", m_stats.failed,
                                      m_settings.topic, m_first_failure));
    if (const int left = rd_kafka_outq_len(m_rk); left > 0)
        throw OutputError(fmt::format("{} records were not acknowledged by Kafka within {} s (topic '{}')", left,
                                      timeout_ms / 1000.0, m_settings.topic));
}

void Publisher::on_delivery(const rd_kafka_message_t* msg) {
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++m_stats.delivered;
        return;
    }
    if (m_stats.failed++ == 0) m_first_failure = rd_kafka_err2str(msg->err);
}

}  // namespace logad::kafka
