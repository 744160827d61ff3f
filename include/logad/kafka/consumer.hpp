#pragma once
// A member of a Kafka consumer group reading one topic, with offsets committed by hand so that
// a message counts as consumed only after it was scored and its output written (at-least-once).
//
// The caller's loop:  fetch() a batch -> process every message -> mark_done() -> commit_if_due().
// mark_done() says "everything fetch() returned so far is scored and written"; only those offsets
// are ever committed (every `commit_every` messages or `commit_interval_ms`, when fetch() finds
// nothing waiting, before partitions are taken away in a rebalance, and in close()). A process that dies loses no message: the
// partition's next owner starts from the last commit, so the messages after it are scored twice.
//
// Rebalances happen inside fetch(). Messages of a revoked partition that fetch() was about to
// return are dropped (the new owner reads them); messages returned earlier and not marked done are
// read again by the new owner too, so call mark_done() before fetch() to avoid scoring them twice.
#include <logad/export.hpp>
#include <logad/kafka/client.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <vector>

struct rd_kafka_s;
struct rd_kafka_topic_partition_list_s;

namespace logad::kafka {

struct ConsumerSettings : ClientSettings {
    std::string topic;
    std::string group;
    std::uint64_t commit_every = 1000;  // messages
    int commit_interval_ms = 1000;
};

struct Message {
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::string value;
};

struct ConsumerStats {
    std::uint64_t messages = 0;    // returned by fetch()
    std::uint64_t commits = 0;     // successful commit requests
    std::uint64_t commit_errors = 0;
    std::uint64_t rebalances = 0;  // assignments received
    std::string last_error;        // of a failed commit or a consumer error, for the summary
};

class LOGAD_API GroupConsumer {
public:
    // Joins the group and subscribes. Throws InputError when the brokers cannot be reached within
    // connect_timeout_ms or the topic does not exist, UsageError for a bad property.
    explicit GroupConsumer(ConsumerSettings settings);
    ~GroupConsumer();  // leaves the group, committing only what was marked done
    GroupConsumer(const GroupConsumer&) = delete;
    GroupConsumer& operator=(const GroupConsumer&) = delete;

    // Appends up to `max` messages to `out`, waiting up to `timeout_ms` for the first one.
    // Returns how many were appended.
    std::size_t fetch(std::vector<Message>& out, std::size_t max, int timeout_ms);
    // Everything fetch() returned so far has been processed: its offsets may be committed.
    void mark_done();
    void commit_if_due();
    void commit();  // what is marked done, now, synchronously
    // Called before every commit, e.g. to wait until the anomalies published so far are delivered.
    // It may throw; the commit is then not made.
    void set_before_commit(std::function<void()> hook) { m_before_commit = std::move(hook); }
    // Commits what is marked done and leaves the group (its partitions go to the other members).
    void close();

    const ConsumerStats& stats() const noexcept { return m_stats; }
    std::vector<std::int32_t> assignment() const;  // partitions this member owns now
    const ConsumerSettings& settings() const noexcept { return m_settings; }

private:
    friend struct ConsumerCallbacks;
    void on_rebalance(int err, rd_kafka_topic_partition_list_s* parts);
    void rethrow_pending();

    ConsumerSettings m_settings;
    rd_kafka_s* m_rk = nullptr;
    bool m_closed = false;
    std::function<void()> m_before_commit;
    std::map<std::int32_t, std::int64_t> m_fetched;    // partition -> offset after the last fetched
    std::map<std::int32_t, std::int64_t> m_done;       // partition -> offset after the last done
    std::map<std::int32_t, std::int64_t> m_committed;  // partition -> offset committed
    std::map<std::int32_t, bool> m_owned;
    std::uint64_t m_fetched_count = 0, m_done_since_commit = 0;
    std::chrono::steady_clock::time_point m_last_commit;
    std::vector<Message>* m_fetching = nullptr;  // the batch fetch() is filling (revokes prune it)
    std::size_t m_fetch_start = 0;
    std::exception_ptr m_pending;  // thrown inside a librdkafka callback, rethrown after it
    ConsumerStats m_stats;
};

}  // namespace logad::kafka
