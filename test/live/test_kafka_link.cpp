// live::KafkaLink: a topic read as the input's lines, committed after scoring; anomaly records
// published as NDJSON.
#include <logad/error.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/kafka/mock_cluster.hpp>
#include <logad/live/kafka_link.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace logad;

namespace {

live::KafkaSettings link_settings(const kafka::MockCluster& c) {
    live::KafkaSettings s;
    s.brokers = c.bootstrap();
    s.properties = {{"session.timeout.ms=3000", "--kafka-option"}, {"heartbeat.interval.ms=300", "--kafka-option"}};
    return s;
}

}  // namespace

TEST_CASE("kafka link: the topic is the input, one line per message, committed once scored", "[live]") {
    kafka::MockCluster cluster;
    cluster.create_topic("logs", 1);
    cluster.produce("logs", {"first", "second"}, 0, 1);
    live::KafkaSettings settings = link_settings(cluster);
    settings.topic = "logs";
    settings.group = "g1";
    live::KafkaLink link(settings, {});
    CHECK(link.publisher() == nullptr);
    auto source = link.topic();
    REQUIRE(source);
    io::LineReader reader(*source);
    std::string_view line;
    REQUIRE(reader.next(line));
    CHECK(line == "first");
    REQUIRE(reader.next(line));
    CHECK(line == "second");
    link.scored();
    REQUIRE(link.consumer_stats() != nullptr);
    CHECK(link.consumer_stats()->messages == 2);
    CHECK(link.consumer_stats()->commits >= 1);
}

TEST_CASE("kafka link: anomaly records are published as NDJSON, normal ones are not", "[live]") {
    kafka::MockCluster cluster;
    cluster.create_topic("anomalies", 1);
    live::KafkaSettings settings = link_settings(cluster);
    settings.publish = "anomalies";
    live::KafkaLink link(settings, {});
    CHECK(link.topic() == nullptr);  // files are the input
    CHECK(link.consumer_stats() == nullptr);
    auto* publisher = link.publisher();
    REQUIRE(publisher != nullptr);
    pipeline::ScoreRecord r;
    r.per = "line";
    r.detector = "iforest";
    r.anomaly = false;
    publisher->push(r);
    r.anomaly = true;
    r.key = "blk_1";
    publisher->push(r);
    link.scored();
    CHECK(link.published() == 1);
    const std::vector<std::string> got = cluster.read_all("anomalies", 1);
    REQUIRE(got.size() == 1);
    CHECK(got[0].front() == '{');
    CHECK(got[0].back() == '}');  // one object, no newline
    CHECK(got[0].find("\"anomaly\":true") != std::string::npos);
}

TEST_CASE("kafka link: a property without = is a usage error naming where it was given", "[live]") {
    kafka::MockCluster cluster;
    live::KafkaSettings settings = link_settings(cluster);
    settings.publish = "anomalies";
    settings.properties.emplace_back("debug", "--kafka-option-file props.txt");
    try {
        live::KafkaLink link(settings, {});
        FAIL("no error");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find("--kafka-option-file props.txt") != std::string::npos);
    }
}
