// Kafka input for `logad score`. The topic becomes a byte source (message values, one per line)
// for the same reader and scoring chain as files, so every flag works the same way; when a
// message counts as done (committed only after it was scored and written): kafka/topic_stream.hpp.
#include "score_kafka.hpp"

#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/kafka/consumer.hpp>
#include <logad/kafka/publisher.hpp>
#include <logad/kafka/topic_stream.hpp>
#include <logad/util/secret_file.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

// The topic as io's byte source (kafka knows nothing of io).
class TopicSource final : public io::ByteSource {
public:
    explicit TopicSource(kafka::GroupConsumer& consumer) : m_stream(consumer) {}
    std::size_t read(char* buf, std::size_t size) override { return m_stream.read(buf, size); }
    bool ready() override { return m_stream.ready(); }
    bool wait_ready(int timeout_ms) override { return m_stream.wait_ready(timeout_ms); }
    const std::string& name() const override { return m_stream.name(); }

private:
    kafka::TopicStream m_stream;
};

// Publishes anomaly records as the same NDJSON objects stdout gets.
class PublishSink final : public Sink<pipeline::ScoreRecord> {
public:
    explicit PublishSink(kafka::Publisher& publisher) : m_publisher(publisher) {}
    void push(pipeline::ScoreRecord& r) override {
        if (!r.anomaly) return;
        m_json.clear();
        pipeline::append_score_json(m_json, r);
        if (!m_json.empty() && m_json.back() == '\n') m_json.pop_back();
        m_publisher.publish(m_json, r.key);
    }

private:
    kafka::Publisher& m_publisher;
    std::string m_json;
};

}  // namespace

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

int score_kafka(const pipeline::PipelineModel& model, LogScoreRequest r, const KafkaOptions& k, std::istream& in,
                std::ostream& out, std::ostream& err) {
    if (k.brokers.empty()) throw UsageError("--kafka-topic and --kafka-publish need --kafka-brokers HOST:PORT");
    if (k.topic.empty() && k.publish.empty())
        throw UsageError("--kafka-brokers needs --kafka-topic (input) or --kafka-publish (output)");
    if (!k.topic.empty() && !r.logs.parse.files.empty())
        throw UsageError("--kafka-topic is the input: give no files with it");

    kafka::ClientSettings client;
    client.brokers = k.brokers;
    std::vector<std::pair<std::string, std::string>> given;  // (property, where it came from)
    for (const std::string& file : k.property_files)
        for (const std::string& p : util::read_property_file(file, "--kafka-option-file")) given.emplace_back(p, "--kafka-option-file " + file);
    for (const std::string& p : k.properties) given.emplace_back(p, "--kafka-option");
    for (const auto& [p, origin] : given) {
        client.properties.push_back(kafka::parse_property(p, origin));
        if (client.properties.back().first == "debug") client.log_level = 7;
    }
    // librdkafka's log lines arrive on this thread, from inside fetch() and publish().
    client.log = [&err](int, std::string_view facility, std::string_view text) {
        fmt::print(err, "logad score: kafka: {}: {}\n", facility, text);
        err.flush();
    };

    std::optional<kafka::Publisher> publisher;
    std::optional<PublishSink> publish_sink;
    if (!k.publish.empty()) {
        kafka::PublisherSettings ps;
        static_cast<kafka::ClientSettings&>(ps) = client;
        ps.topic = k.publish;
        publisher.emplace(std::move(ps));
        publish_sink.emplace(*publisher);
        r.also.push_back(&*publish_sink);
    }
    if (k.topic.empty()) {  // files in, anomalies out to Kafka as well
        const int rc = score_logs(model, r, in, out, err);
        publisher->flush();
        return rc;
    }

    kafka::ConsumerSettings cs;
    static_cast<kafka::ClientSettings&>(cs) = client;
    cs.topic = k.topic;
    cs.group = k.group;
    kafka::GroupConsumer consumer(std::move(cs));
    if (publisher) consumer.set_before_commit([&] { publisher->flush(); });
    r.logs.parse.files = {consumer.settings().topic};
    const int rc = score_logs(model, r, in, out, err, std::make_unique<TopicSource>(consumer));
    // score_logs() returned after a stop: everything handed to it is scored and written.
    consumer.mark_done();
    consumer.close();
    if (!r.quiet) {
        const auto& st = consumer.stats();
        fmt::print(err, "logad score: kafka: {} messages from topic {} (group {}), {} commits{}{}\n", st.messages, k.topic,
                   k.group, st.commits, st.commit_errors ? fmt::format(", {} failed ({})", st.commit_errors, st.last_error) : "",
                   publisher ? fmt::format(", {} anomalies published to {}", publisher->stats().delivered, k.publish) : "");
    }
    return rc;
}

}  // namespace logad::cli
