#include "kafka_options.hpp"

#include <logad/error.hpp>
#include <logad/util/secret_file.hpp>

#include <CLI/CLI.hpp>

namespace logad::cli {

void add_kafka_options(CLI::App& cmd, KafkaOptions& o) {
    cmd.add_option("--kafka-brokers", o.brokers, "Kafka bootstrap servers, HOST:PORT[,HOST:PORT...]");
    cmd.add_option("--kafka-topic", o.topic, "read this topic (one log line per message) instead of files");
    cmd.add_option("--kafka-group", o.group, "consumer group: instances in one group share the partitions")
        ->capture_default_str();
    cmd.add_option("--kafka-publish", o.publish, "also publish anomaly records to this topic");
    cmd.add_option("--kafka-option", o.properties, "a librdkafka property KEY=VALUE (repeatable; TLS, SASL, timeouts)");
    cmd.add_option("--kafka-option-file", o.property_files,
                   "librdkafka properties KEY=VALUE from a file, one a line, # comments (repeatable; for "
                   "sasl.password and other secrets, kept out of ps)");
}

live::KafkaSettings kafka_settings(const KafkaOptions& k, const std::vector<std::string>& files) {
    if (k.brokers.empty()) throw UsageError("--kafka-topic and --kafka-publish need --kafka-brokers HOST:PORT");
    if (k.topic.empty() && k.publish.empty())
        throw UsageError("--kafka-brokers needs --kafka-topic (input) or --kafka-publish (output)");
    if (!k.topic.empty() && !files.empty()) throw UsageError("--kafka-topic is the input: give no files with it");
    live::KafkaSettings s{k.brokers, k.topic, k.group, k.publish, {}};
    for (const std::string& file : k.property_files)
        for (const std::string& p : util::read_property_file(file, "--kafka-option-file"))
            s.properties.emplace_back(p, "--kafka-option-file " + file);
    for (const std::string& p : k.properties) s.properties.emplace_back(p, "--kafka-option");
    return s;
}

}  // namespace logad::cli
