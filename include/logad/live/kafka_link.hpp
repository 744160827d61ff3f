#pragma once
// A Kafka topic as the input of a scoring run, read as one member of a consumer group, and
// anomaly records published to a topic. The topic becomes a byte source (message values, one
// per line) for the same reader and scoring chain as files, so every setting works the same way;
// an offset is committed only for messages already scored and written (kafka/topic_stream.hpp),
// and what was published is flushed before each commit.
//
//   live::KafkaLink link(settings, log);
//   if (auto* p = link.publisher()) request.also.push_back(p);
//   ... score, reading link.topic() (null without an input topic: files are the input) ...
//   link.scored();  // the run returned: everything it was handed is scored and written
#include <logad/export.hpp>
#include <logad/io/input.hpp>
#include <logad/kafka/client.hpp>
#include <logad/kafka/consumer.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace logad::live {

struct KafkaSettings {
    std::string brokers;  // HOST:PORT[,HOST:PORT...]
    std::string topic;    // input: one log line per message value; empty = none
    std::string group = "logad";
    std::string publish;  // output topic for anomaly records; empty = none
    // librdkafka properties as given ("KEY=VALUE") and where each was given, for messages.
    std::vector<std::pair<std::string, std::string>> properties;
};

class LOGAD_API KafkaLink {
public:
    // Connects the publisher and joins the group; throws UsageError for a bad property,
    // InputError when the brokers cannot be reached. librdkafka's log lines go to `log` (with
    // level debug when a `debug` property is given), on the thread that scores.
    KafkaLink(const KafkaSettings& settings, kafka::LogFn log);
    ~KafkaLink();
    KafkaLink(const KafkaLink&) = delete;
    KafkaLink& operator=(const KafkaLink&) = delete;

    // Publishes every anomaly record it is given as the NDJSON object stdout gets; null without
    // a publish topic. Does not steal.
    Sink<pipeline::ScoreRecord>* publisher();
    // The input topic as bytes, once; null without an input topic.
    std::unique_ptr<io::ByteSource> topic();
    // The scoring run returned: commits what it read and leaves the group, or (without an input
    // topic) flushes what was published.
    void scored();

    const KafkaSettings& settings() const { return m_settings; }
    // Null without an input topic.
    const kafka::ConsumerStats* consumer_stats() const;
    std::uint64_t published() const;  // anomaly records the brokers acknowledged

private:
    struct Parts;
    KafkaSettings m_settings;
    std::unique_ptr<Parts> m_parts;
};

}  // namespace logad::live
