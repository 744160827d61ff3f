// Kafka input and output of a scoring run. When a message counts as done (committed only after
// it was scored and written): kafka/topic_stream.hpp.
#include <logad/live/kafka_link.hpp>

#include <logad/kafka/publisher.hpp>
#include <logad/kafka/topic_stream.hpp>

#include <optional>

namespace logad::live {
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

}  // namespace

namespace publishing {  // named, not anonymous: KafkaLink::Parts holds one

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

}  // namespace publishing

struct KafkaLink::Parts {
    std::optional<kafka::Publisher> publisher;
    std::optional<publishing::PublishSink> publish_sink;
    std::optional<kafka::GroupConsumer> consumer;
};

KafkaLink::KafkaLink(const KafkaSettings& settings, kafka::LogFn log)
    : m_settings(settings), m_parts(std::make_unique<Parts>()) {
    kafka::ClientSettings client;
    client.brokers = settings.brokers;
    for (const auto& [p, origin] : settings.properties) {
        client.properties.push_back(kafka::parse_property(p, origin));
        if (client.properties.back().first == "debug") client.log_level = 7;
    }
    client.log = std::move(log);
    if (!settings.publish.empty()) {
        kafka::PublisherSettings ps;
        static_cast<kafka::ClientSettings&>(ps) = client;
        ps.topic = settings.publish;
        m_parts->publisher.emplace(std::move(ps));
        m_parts->publish_sink.emplace(*m_parts->publisher);
    }
    if (settings.topic.empty()) return;  // files in, anomalies out to Kafka as well
    kafka::ConsumerSettings cs;
    static_cast<kafka::ClientSettings&>(cs) = client;
    cs.topic = settings.topic;
    cs.group = settings.group;
    m_parts->consumer.emplace(std::move(cs));
    if (m_parts->publisher) m_parts->consumer->set_before_commit([this] { m_parts->publisher->flush(); });
}

KafkaLink::~KafkaLink() = default;

Sink<pipeline::ScoreRecord>* KafkaLink::publisher() { return m_parts->publish_sink ? &*m_parts->publish_sink : nullptr; }

std::unique_ptr<io::ByteSource> KafkaLink::topic() {
    if (!m_parts->consumer) return nullptr;
    return std::make_unique<TopicSource>(*m_parts->consumer);
}

void KafkaLink::scored() {
    if (m_parts->consumer) {
        m_parts->consumer->mark_done();
        m_parts->consumer->close();
    } else if (m_parts->publisher) {
        m_parts->publisher->flush();
    }
}

const kafka::ConsumerStats* KafkaLink::consumer_stats() const {
    return m_parts->consumer ? &m_parts->consumer->stats() : nullptr;
}

std::uint64_t KafkaLink::published() const { return m_parts->publisher ? m_parts->publisher->stats().delivered : 0; }

}  // namespace logad::live
