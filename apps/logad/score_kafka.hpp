#pragma once
// `logad score` on a Kafka topic, as one member of a consumer group, and publishing anomalies to
// a topic. The scoring chain is score_logs()'s; only the input and an extra output differ.
#include "log_pipeline.hpp"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

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

// Scores the topic's messages (or request.logs.parse.files when no topic is given) until SIGINT
// or SIGTERM, committing offsets only for messages already scored and written.
int score_kafka(const pipeline::PipelineModel& model, LogScoreRequest request, const KafkaOptions& kafka,
                std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace logad::cli
