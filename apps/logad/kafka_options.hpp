#pragma once
// `logad score` on a Kafka topic, as one member of a consumer group, and publishing anomalies to
// a topic: the flags (lib/live/kafka_link.hpp connects them; the scoring chain is score_logs()'s).
#include <logad/live/kafka_link.hpp>

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace logad::cli {

struct KafkaOptions {
    std::string brokers;
    std::string topic;    // input: one log line per message value
    std::string group = "logad";
    std::string publish;  // output topic for anomaly records
    std::vector<std::string> properties;  // KEY=VALUE librdkafka settings
    std::vector<std::string> property_files;  // more of them, one a line (secrets kept out of argv)
    bool used() const {
        return !brokers.empty() || !topic.empty() || !publish.empty() || !properties.empty() || !property_files.empty();
    }
};
void add_kafka_options(CLI::App& cmd, KafkaOptions& options);

// The link's settings, the property files read; UsageError for flags that do not go together
// (`files`: the files given besides).
live::KafkaSettings kafka_settings(const KafkaOptions& options, const std::vector<std::string>& files);

}  // namespace logad::cli
