#pragma once
// Building a librdkafka configuration from ClientSettings, shared by the consumer and publisher.
#include <logad/kafka/client.hpp>

#include <librdkafka/rdkafka.h>

#include <string>

namespace logad::kafka::detail {

// A new configuration with the brokers, logad's log routing and the user's properties (last, so
// they win). Throws UsageError for an unknown property or a bad value.
rd_kafka_conf_t* make_conf(const ClientSettings& settings);
void set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value);

// A log_cb for a client class whose rd_kafka opaque is the object and whose settings are m_settings.
template <class Client>
void forward_log(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
    const auto* client = static_cast<const Client*>(rd_kafka_opaque(rk));
    if (client != nullptr && client->settings().log) client->settings().log(level, facility, text);
}

// After rd_kafka_new(): log lines are served by the caller's polls, not librdkafka's threads.
void route_logs(rd_kafka_t* rk);

// Checks at start that the brokers answer and `topic` exists; throws InputError saying which.
void check_topic(rd_kafka_t* rk, const ClientSettings& settings, const std::string& topic, const char* role);

}  // namespace logad::kafka::detail
