// kafka::TopicStream: a topic's message values as lines of bytes, and a batch marked done (so
// committed) only at the wait that follows the reader's flush, never while it is being read.
#include <logad/kafka/consumer.hpp>
#include <logad/kafka/mock_cluster.hpp>
#include <logad/kafka/topic_stream.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace logad;
using namespace logad::kafka;

namespace {

ConsumerSettings stream_settings(const MockCluster& c, const std::string& group) {
    ConsumerSettings s;
    s.brokers = c.bootstrap();
    s.topic = "lines";
    s.group = group;
    s.connect_timeout_ms = 5000;
    s.properties = {{"session.timeout.ms", "3000"}, {"heartbeat.interval.ms", "300"}};
    return s;
}

// Reads `bytes` bytes, `chunk` at a time (read() waits for messages while none are held).
std::string read_bytes(TopicStream& stream, std::size_t bytes, std::size_t chunk) {
    std::string text;
    std::vector<char> buf(chunk);
    while (text.size() < bytes) {
        const std::size_t n = stream.read(buf.data(), std::min(chunk, bytes - text.size()));
        REQUIRE(n > 0);
        text.append(buf.data(), n);
    }
    return text;
}

}  // namespace

TEST_CASE("topic stream: each message value is one line, a newline added when it has none", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("lines", 1);
    cluster.produce("lines", {"first", "second\n", "", "fourth"}, 0, 1);
    GroupConsumer consumer(stream_settings(cluster, "s1"));
    TopicStream stream(consumer);
    CHECK(stream.name() == "kafka topic lines");
    CHECK(read_bytes(stream, 21, 3) == "first\nsecond\n\nfourth\n");  // read across message ends
    CHECK_FALSE(stream.ready());  // the batch is all handed out: the reader flushes now
}

TEST_CASE("topic stream: a batch is committed only after the wait that follows its flush", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("lines", 1);
    cluster.produce("lines", {"a", "b", "c"}, 0, 1);
    SECTION("read but never waited on (as if killed while scoring): read again after a restart") {
        {
            GroupConsumer consumer(stream_settings(cluster, "s2"));
            TopicStream stream(consumer);
            CHECK(read_bytes(stream, 6, 64) == "a\nb\nc\n");
        }
        GroupConsumer again(stream_settings(cluster, "s2"));
        TopicStream stream(again);
        CHECK(read_bytes(stream, 6, 64) == "a\nb\nc\n");
    }
    SECTION("read, flushed (ready() said no more) and waited on: a restart finds nothing left") {
        {
            GroupConsumer consumer(stream_settings(cluster, "s3"));
            TopicStream stream(consumer);
            CHECK(read_bytes(stream, 6, 64) == "a\nb\nc\n");
            CHECK_FALSE(stream.ready());
            CHECK_FALSE(stream.wait_ready(300));  // marks the batch done; nothing more arrives
        }  // closing commits what was marked done
        GroupConsumer again(stream_settings(cluster, "s3"));
        std::vector<Message> more;
        again.fetch(more, 10, 1000);
        CHECK(more.empty());
    }
}
