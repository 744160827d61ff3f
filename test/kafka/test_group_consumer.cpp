#include <logad/error.hpp>
#include <logad/kafka/consumer.hpp>
#include <logad/kafka/mock_cluster.hpp>
#include <logad/kafka/publisher.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace logad;
using namespace logad::kafka;

namespace {

std::vector<std::string> numbered(int n, const std::string& prefix = "line ") {
    std::vector<std::string> v;
    for (int i = 0; i < n; ++i) v.push_back(prefix + std::to_string(i));
    return v;
}

ConsumerSettings settings_for(const MockCluster& c, const std::string& topic, const std::string& group) {
    ConsumerSettings s;
    s.brokers = c.bootstrap();
    s.topic = topic;
    s.group = group;
    s.connect_timeout_ms = 5000;
    // The mock cluster answers at once; short timeouts keep group changes quick.
    s.properties = {{"session.timeout.ms", "3000"}, {"heartbeat.interval.ms", "300"}};
    return s;
}

// Fetches until `want` messages arrived in total (or 15 s passed), marking each batch done.
std::vector<Message> drain(GroupConsumer& c, std::size_t want, bool mark = true) {
    std::vector<Message> got;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (got.size() < want && std::chrono::steady_clock::now() < until) {
        c.fetch(got, 100, 100);
        if (mark) c.mark_done();
    }
    return got;
}

std::multiset<std::string> values(const std::vector<Message>& v) {
    std::multiset<std::string> out;
    for (const auto& m : v) out.insert(m.value);
    return out;
}

}  // namespace

TEST_CASE("a group member reads every message of a multi-partition topic once", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("logs", 4);
    cluster.produce("logs", numbered(200), -1, 4);
    GroupConsumer c(settings_for(cluster, "logs", "g1"));
    const auto got = drain(c, 200);
    REQUIRE(got.size() == 200);
    const auto expect = numbered(200);
    CHECK(values(got) == std::multiset<std::string>(expect.begin(), expect.end()));
    std::set<std::int32_t> parts;
    for (const auto& m : got) parts.insert(m.partition);
    CHECK(parts == std::set<std::int32_t>{0, 1, 2, 3});
    CHECK(c.assignment() == std::vector<std::int32_t>{0, 1, 2, 3});
}

TEST_CASE("only offsets marked done are committed: a restart reads the rest again", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("logs", 4);
    cluster.produce("logs", numbered(100), -1, 4);
    std::vector<Message> done;
    {
        GroupConsumer c(settings_for(cluster, "logs", "g2"));
        done = drain(c, 40);
        REQUIRE(done.size() >= 40);
        c.commit();
        std::vector<Message> not_done;
        c.fetch(not_done, 1000, 2000);  // read, but never marked done: as if killed while scoring
        CHECK(c.stats().commits >= 1);
    }  // closing commits only what was marked done
    GroupConsumer again(settings_for(cluster, "logs", "g2"));
    const auto rest = drain(again, 100 - done.size());
    // Every message is read exactly once across the two runs, since the first one marked
    // exactly what it fetched before committing.
    auto all = values(done);
    for (const auto& m : rest) all.insert(m.value);
    const auto expect = numbered(100);
    CHECK(all == std::multiset<std::string>(expect.begin(), expect.end()));
    std::vector<Message> more;
    again.fetch(more, 10, 500);
    CHECK(more.empty());
}

TEST_CASE("two members of one group split the partitions and together read everything once", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("logs", 4);
    GroupConsumer a(settings_for(cluster, "logs", "g3"));
    GroupConsumer b(settings_for(cluster, "logs", "g3"));
    std::vector<Message> got_a, got_b;
    // Both poll until each owns partitions (the group settles), then the messages are produced.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((a.assignment().empty() || b.assignment().empty() || a.assignment().size() + b.assignment().size() != 4) &&
           std::chrono::steady_clock::now() < until) {
        a.fetch(got_a, 10, 50);
        b.fetch(got_b, 10, 50);
    }
    REQUIRE(a.assignment().size() + b.assignment().size() == 4);
    REQUIRE(!a.assignment().empty());
    REQUIRE(!b.assignment().empty());
    cluster.produce("logs", numbered(400), -1, 4);
    while (got_a.size() + got_b.size() < 400 && std::chrono::steady_clock::now() < until + std::chrono::seconds(10)) {
        a.fetch(got_a, 100, 50);
        a.mark_done();
        b.fetch(got_b, 100, 50);
        b.mark_done();
    }
    REQUIRE(got_a.size() + got_b.size() == 400);
    std::set<std::int32_t> pa, pb;
    for (const auto& m : got_a) pa.insert(m.partition);
    for (const auto& m : got_b) pb.insert(m.partition);
    for (auto p : pa) CHECK(pb.count(p) == 0);
    auto all = values(got_a);
    for (const auto& m : got_b) all.insert(m.value);
    const auto expect = numbered(400);
    CHECK(all == std::multiset<std::string>(expect.begin(), expect.end()));
}

TEST_CASE("a consumer refuses an unknown topic and unreachable brokers clearly", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("logs", 1);
    CHECK_THROWS_WITH(GroupConsumer(settings_for(cluster, "nope", "g4")),
                      Catch::Contains("topic 'nope' does not exist"));
    ConsumerSettings s;
    s.brokers = "127.0.0.1:1";  // nothing listens on port 1
    s.topic = "logs";
    s.group = "g4";
    s.connect_timeout_ms = 1500;
    std::vector<std::string> logged;
    s.log = [&](int, std::string_view fac, std::string_view msg) { logged.push_back(std::string(fac) + ": " + std::string(msg)); };
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(GroupConsumer(s), InputError);
    CHECK_THROWS_WITH(GroupConsumer(s), Catch::Contains("cannot reach the Kafka brokers at 127.0.0.1:1"));
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
    s.brokers.clear();
    CHECK_THROWS_AS(GroupConsumer(s), UsageError);
    s.brokers = "127.0.0.1:1";
    s.properties = {{"no.such.property", "1"}};
    CHECK_THROWS_WITH(GroupConsumer(s), Catch::Contains("no.such.property"));
}

TEST_CASE("the publisher delivers records and reports an unknown topic", "[kafka]") {
    MockCluster cluster;
    cluster.create_topic("anomalies", 2);
    PublisherSettings s;
    s.brokers = cluster.bootstrap();
    s.topic = "anomalies";
    {
        Publisher p(s);
        for (const auto& v : numbered(25, "{\"n\":")) p.publish(v + "}");
        p.flush(10000);
        CHECK(p.stats().published == 25);
        CHECK(p.stats().delivered == 25);
        CHECK(p.stats().failed == 0);
    }
    auto got = cluster.read_all("anomalies", 2);
    std::multiset<std::string> seen(got.begin(), got.end());
    std::multiset<std::string> expect;
    for (const auto& v : numbered(25, "{\"n\":")) expect.insert(v + "}");
    CHECK(seen == expect);
    s.topic = "missing";
    CHECK_THROWS_WITH(Publisher(s), Catch::Contains("publish topic 'missing' does not exist"));
}

TEST_CASE("key=value properties", "[kafka]") {
    CHECK(parse_property("a.b=c=d", "--kafka-option") == std::pair<std::string, std::string>{"a.b", "c=d"});
    CHECK_THROWS_AS(parse_property("novalue", "--kafka-option"), UsageError);
}
