#include "client_config.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>

#include <memory>

namespace logad::kafka {

std::pair<std::string, std::string> parse_property(std::string_view text, std::string_view flag) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw UsageError(fmt::format("{} wants KEY=VALUE (a librdkafka property, e.g. session.timeout.ms=10000), not '{}'",
                                     flag, text));
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

namespace detail {
void set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
    char err[512];
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
        throw UsageError(fmt::format("Kafka property {}={}: {}", name, value, err));
}

rd_kafka_conf_t* make_conf(const ClientSettings& s) {
    std::unique_ptr<rd_kafka_conf_t, void (*)(rd_kafka_conf_t*)> conf(rd_kafka_conf_new(), rd_kafka_conf_destroy);
    if (s.brokers.empty()) throw UsageError("give the Kafka brokers with --kafka-brokers HOST:PORT[,HOST:PORT...]");
    set(conf.get(), "bootstrap.servers", s.brokers);
    set(conf.get(), "log.queue", "true");
    set(conf.get(), "log_level", std::to_string(s.log_level));
    for (const auto& [k, v] : s.properties) set(conf.get(), k, v);
    return conf.release();
}

void route_logs(rd_kafka_t* rk) { rd_kafka_set_log_queue(rk, nullptr); }

void check_topic(rd_kafka_t* rk, const ClientSettings& s, const std::string& topic, const char* role) {
    // All topics (a null topic list): asking for one topic by name would create it on brokers
    // with auto.create.topics.enable, and a typo would quietly become a new, empty topic.
    const rd_kafka_metadata_t* md = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, s.connect_timeout_ms);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw InputError(fmt::format("cannot reach the Kafka brokers at {} within {} s ({}); check --kafka-brokers "
                                     "and that the brokers are up",
                                     s.brokers, s.connect_timeout_ms / 1000.0, rd_kafka_err2str(err)));
    std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> hold(md, rd_kafka_metadata_destroy);
    rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    for (int i = 0; i < md->topic_cnt; ++i)
        if (topic == md->topics[i].topic) topic_err = md->topics[i].err;
    if (topic_err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        throw InputError(fmt::format("the {} topic '{}' does not exist on {}; create it (kafka-topics.sh --create) "
                                     "or check the name",
                                     role, topic, s.brokers));
    if (topic_err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw InputError(fmt::format("the {} topic '{}' on {} is not usable: {}", role, topic, s.brokers,
                                     rd_kafka_err2str(topic_err)));
}

}  // namespace detail
}  // namespace logad::kafka
