// `logad score` as members of one Kafka consumer group, against librdkafka's mock cluster (the
// real protocol on 127.0.0.1) owned by this test process: two instances split a 4-partition
// topic and score every message once; after one is killed the other takes over its partitions
// and nothing is lost; a clean stop commits, so a later member starts after what was scored.
#include "process.hpp"

#include <logad/kafka/mock_cluster.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

using logad::kafka::MockCluster;
using logad::test::LiveProcess;
using logad::test::run_logad;
using logad::test::temp_path;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int k_partitions = 4;

std::string log_line(int second, const std::string& text) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "2026-11-25 10:%02d:%02d,%03d", (second / 60) % 60, second % 60, second % 1000);
    return std::string(ts) + " INFO [worker-1] api.Server: " + text;
}

// A model trained on lines like the ones the test produces, per line only (one record per line).
std::string train_model() {
    const std::string train = temp_path("kafka-train.log"), model = temp_path("kafka-model.json");
    std::ofstream out(train);
    for (int i = 0; i < 600; ++i) out << log_line(i, "request " + std::to_string(i) + " served in " + std::to_string(i % 50) + " ms") << '\n';
    out.close();
    const auto r = run_logad({"train", "-q", "-f", "<Date> <Time> <Level> [<Thread>] <Component>: <Content>", "--per", "line",
                              "-o", model, train});
    REQUIRE(r.status == 0);
    return model;
}

// Messages "request id-N served in ..." for N in [from, to), spread round-robin over the partitions.
std::vector<std::string> messages(int from, int to) {
    std::vector<std::string> v;
    for (int i = from; i < to; ++i) v.push_back(log_line(i, "request id-" + std::to_string(i) + " served in 7 ms"));
    return v;
}

// Collects the ids of the line records an instance writes.
struct Seen {
    std::map<int, int> count;  // id -> records
    void add(const std::string& line) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object() || j.value("per", "") != "line" || j.value("detector", "").rfind("signal:", 0) == 0) return;
        const std::string msg = j.value("message", "");
        const auto at = msg.find("id-");
        if (at != std::string::npos) ++count[std::stoi(msg.substr(at + 3))];
    }
    bool has_all(int from, int to) const {
        for (int i = from; i < to; ++i)
            if (!count.count(i)) return false;
        return true;
    }
};

std::vector<std::string> score_args(const std::string& model, const MockCluster& c, const std::string& group) {
    return {"score", "--records", "-q", "--all", "-m", model, "--kafka-brokers", c.bootstrap(), "--kafka-topic", "logs", "--kafka-group",
            group,
            // The mock answers at once: a short session lets the survivor take over within seconds.
            "--kafka-option", "session.timeout.ms=3000", "--kafka-option", "heartbeat.interval.ms=300"};
}

// Reads both instances' output until `done` holds or `seconds` pass.
template <class Done>
bool pump(std::vector<std::pair<LiveProcess*, Seen*>> procs, int seconds, Done done) {
    const auto until = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < until) {
        if (done()) return true;
        for (auto [p, seen] : procs)
            for (std::string line; !(line = p->read_line(30)).empty();) seen->add(line);
    }
    return done();
}

}  // namespace

TEST_CASE("two logad instances in one Kafka group score every message once, and survive a kill", "[cli][kafka]") {
    MockCluster cluster;
    cluster.create_topic("logs", k_partitions);
    const std::string model = train_model();

    LiveProcess a(score_args(model, cluster, "scorers"));
    LiveProcess b(score_args(model, cluster, "scorers"));
    Seen seen_a, seen_b;
    // Let both join before any message exists. librdkafka's mock broker refuses offset commits
    // while the group is rebalancing (a real broker accepts them from the current generation), so
    // messages scored during a join would be scored again by their next owner.
    pump({{&a, &seen_a}, {&b, &seen_b}}, 5, [&] { return false; });
    // Produce in small rounds until both instances have scored something: both are in the group.
    int produced = 0;
    const auto until = Clock::now() + std::chrono::seconds(20);
    while ((seen_a.count.empty() || seen_b.count.empty()) && Clock::now() < until) {
        cluster.produce("logs", messages(produced, produced + 40), -1, k_partitions);
        produced += 40;
        pump({{&a, &seen_a}, {&b, &seen_b}}, 1, [&] { return false; });
    }
    REQUIRE(!seen_a.count.empty());
    REQUIRE(!seen_b.count.empty());
    // Both hold partitions now, so the group is stable. Messages of the warm-up may have been
    // scored twice if a slow start (a sanitizer build) put them before B's join: at least once.
    const int warm_up = produced;
    cluster.produce("logs", messages(produced, produced + 200), -1, k_partitions);
    produced += 200;
    REQUIRE(pump({{&a, &seen_a}, {&b, &seen_b}}, 15, [&] {
        Seen both = seen_a;
        for (auto [id, n] : seen_b.count) both.count[id] += n;
        return both.has_all(0, produced);
    }));
    for (int i = 0; i < warm_up; ++i) CHECK(seen_a.count[i] + seen_b.count[i] >= 1);
    // In a stable group and before any failure: exactly once, each message by one instance.
    for (int i = warm_up; i < produced; ++i) {
        INFO("message id-" << i);
        CHECK(seen_a.count[i] + seen_b.count[i] == 1);
    }

    // Kill A without warning; what it scored since its last commit may be scored again by B.
    a.send_signal(SIGKILL);
    CHECK(a.wait() == 128 + SIGKILL);
    const int before_kill = produced;
    cluster.produce("logs", messages(produced, produced + 200), -1, k_partitions);
    produced += 200;
    INFO("B must take over A's partitions after its session times out");
    REQUIRE(pump({{&b, &seen_b}}, 20, [&] { return seen_b.has_all(before_kill, produced); }));
    for (int i = before_kill; i < produced; ++i) CHECK(seen_b.count[i] == 1);
    for (int i = 0; i < before_kill; ++i) CHECK(seen_a.count[i] + seen_b.count[i] >= 1);

    // SIGTERM: B stops cleanly and commits, so a new member starts after everything B scored.
    b.send_signal(SIGTERM);
    CHECK(b.wait() == 0);
    LiveProcess c(score_args(model, cluster, "scorers"));
    cluster.produce("logs", messages(produced, produced + 20), -1, k_partitions);
    Seen seen_c;
    REQUIRE(pump({{&c, &seen_c}}, 15, [&] { return seen_c.has_all(produced, produced + 20); }));
    pump({{&c, &seen_c}}, 1, [&] { return false; });  // anything older would show up now
    CHECK(seen_c.count.size() == 20);
}

TEST_CASE("logad score publishes its anomalies to a Kafka topic and refuses a missing one", "[cli][kafka]") {
    MockCluster cluster;
    cluster.create_topic("anomalies", 2);
    cluster.create_topic("logs", 1);
    const std::string model = train_model();
    const std::string input = temp_path("kafka-score.log");
    {
        std::ofstream out(input);
        for (int i = 0; i < 50; ++i) out << log_line(i, "request " + std::to_string(i) + " served in 3 ms") << '\n';
        out << log_line(51, "disk /dev/sda1 failed: I/O error at sector 99182") << '\n';
        out << log_line(52, "kernel panic: unable to mount root fs") << '\n';
    }
    const auto r = run_logad({"score", "--records", "-q", "-m", model, "--kafka-brokers", cluster.bootstrap(), "--kafka-publish", "anomalies", input});
    REQUIRE(r.status == 0);
    std::multiset<std::string> stdout_records;
    std::size_t start = 0;
    for (std::size_t nl; (nl = r.out.find('\n', start)) != std::string::npos; start = nl + 1)
        if (r.out.compare(start, 17, R"({"per":"incident")") != 0) stdout_records.insert(r.out.substr(start, nl - start));
    REQUIRE(!stdout_records.empty());  // the two unseen lines are anomalies
    const auto published = cluster.read_all("anomalies", 2);
    CHECK(std::multiset<std::string>(published.begin(), published.end()) == stdout_records);

    const auto missing = run_logad({"score", "--records", "-m", model, "--kafka-brokers", cluster.bootstrap(), "--kafka-topic", "nope"});
    CHECK(missing.status == 2);
    CHECK_THAT(missing.err, Catch::Contains("logad score: error:") && Catch::Contains("topic 'nope' does not exist"));
    const auto bad = run_logad({"score", "--records", "-m", model, "--kafka-brokers", cluster.bootstrap(), "--kafka-topic", "logs",
                                "--kafka-option", "no.such=1"});
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("no.such"));
    const auto both = run_logad({"score", "--records", "-m", model, "--kafka-brokers", cluster.bootstrap(), "--kafka-topic", "logs", input});
    CHECK(both.status == 2);
    CHECK_THAT(both.err, Catch::Contains("give no files"));
}
