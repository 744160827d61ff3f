#include <logad/kafka/consumer.hpp>

#include "client_config.hpp"

#include <logad/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace logad::kafka {

using Clock = std::chrono::steady_clock;

struct ConsumerCallbacks {
    static void rebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque) {
        static_cast<GroupConsumer*>(opaque)->on_rebalance(err, parts);
    }
    // Without an error callback librdkafka logs each error a second time ("1/1 brokers are down").
    static void error(rd_kafka_t*, int, const char* reason, void* opaque) {
        static_cast<GroupConsumer*>(opaque)->m_stats.last_error = reason;
    }
};

namespace {

using PartList = std::unique_ptr<rd_kafka_topic_partition_list_t, void (*)(rd_kafka_topic_partition_list_t*)>;

bool cooperative(rd_kafka_t* rk) { return std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0; }

}  // namespace

GroupConsumer::GroupConsumer(ConsumerSettings settings) : m_settings(std::move(settings)) {
    if (m_settings.topic.empty()) throw UsageError("give the Kafka topic to read with --kafka-topic");
    if (m_settings.group.empty()) throw UsageError("give the consumer group with --kafka-group");
    rd_kafka_conf_t* conf = detail::make_conf(m_settings);
    try {
        detail::set(conf, "group.id", m_settings.group);
        // Offsets are committed by hand, after scoring; a new group starts at the oldest message.
        detail::set(conf, "enable.auto.commit", "false");
        detail::set(conf, "enable.auto.offset.store", "false");
        detail::set(conf, "auto.offset.reset", "earliest");
        for (const auto& [k, v] : m_settings.properties) detail::set(conf, k, v);  // the user's word wins
    } catch (...) {
        rd_kafka_conf_destroy(conf);
        throw;
    }
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_log_cb(conf, detail::forward_log<GroupConsumer>);
    rd_kafka_conf_set_rebalance_cb(conf, ConsumerCallbacks::rebalance);
    rd_kafka_conf_set_error_cb(conf, ConsumerCallbacks::error);
    char err[512];
    m_rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (m_rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw UsageError(fmt::format("cannot create a Kafka consumer: {}", err));
    }
    detail::route_logs(m_rk);
    rd_kafka_poll_set_consumer(m_rk);  // logs and callbacks are served by fetch()
    try {
        detail::check_topic(m_rk, m_settings, m_settings.topic, "input");
        PartList topics(rd_kafka_topic_partition_list_new(1), rd_kafka_topic_partition_list_destroy);
        rd_kafka_topic_partition_list_add(topics.get(), m_settings.topic.c_str(), RD_KAFKA_PARTITION_UA);
        if (const auto e = rd_kafka_subscribe(m_rk, topics.get()))
            throw InputError(fmt::format("cannot subscribe to Kafka topic '{}': {}", m_settings.topic, rd_kafka_err2str(e)));
    } catch (...) {
        rd_kafka_destroy(m_rk);
        throw;
    }
    m_last_commit = Clock::now();
}

GroupConsumer::~GroupConsumer() {
    try {
        close();
    } catch (...) {  // a destructor does not throw: what was not committed is read again later
    }
    if (m_rk != nullptr) rd_kafka_destroy(m_rk);
}

std::size_t GroupConsumer::fetch(std::vector<Message>& out, std::size_t max, int timeout_ms) {
    if (m_closed) return 0;
    m_fetching = &out;
    m_fetch_start = out.size();
    struct Reset {
        GroupConsumer& c;
        ~Reset() { c.m_fetching = nullptr; }
    } reset{*this};
    int wait = 0;
    bool waited = false;
    while (out.size() - m_fetch_start < max) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(m_rk, wait);
        rethrow_pending();
        if (m == nullptr) {
            if (out.size() > m_fetch_start || waited || timeout_ms == 0) break;
            // Caught up: commit what is done before waiting, so a quiet stream has nothing
            // uncommitted when a rebalance or a crash comes.
            if (m_done_since_commit > 0) commit();
            wait = timeout_ms;
            waited = true;
            continue;
        }
        std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> hold(m, rd_kafka_message_destroy);
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
        if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
            m->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED || rd_kafka_fatal_error(m_rk, nullptr, 0))
            throw InputError(fmt::format("Kafka topic '{}': {}", m_settings.topic, rd_kafka_message_errstr(m)));
        if (m->err) {  // transient (a broker restarting...): librdkafka retries by itself
            m_stats.last_error = rd_kafka_message_errstr(m);
            continue;
        }
        wait = 0;  // the first message came: take what is already there, without waiting
        Message& msg = out.emplace_back();
        msg.partition = m->partition;
        msg.offset = m->offset;
        msg.value.assign(static_cast<const char*>(m->payload), m->len);
        m_fetched[m->partition] = m->offset + 1;
        ++m_fetched_count;
        ++m_stats.messages;
    }
    return out.size() - m_fetch_start;
}

void GroupConsumer::mark_done() {
    for (const auto& [p, next] : m_fetched) m_done[p] = next;
    m_done_since_commit += m_fetched_count;
    m_fetched_count = 0;
}

void GroupConsumer::commit_if_due() {
    if (m_done_since_commit == 0) return;
    if (m_done_since_commit >= m_settings.commit_every ||
        Clock::now() - m_last_commit >= std::chrono::milliseconds(m_settings.commit_interval_ms))
        commit();
}

void GroupConsumer::commit() {
    if (m_closed) return;
    PartList list(rd_kafka_topic_partition_list_new(static_cast<int>(m_done.size())), rd_kafka_topic_partition_list_destroy);
    for (const auto& [p, next] : m_done) {
        const auto c = m_committed.find(p);
        if (c == m_committed.end() || c->second < next)
            rd_kafka_topic_partition_list_add(list.get(), m_settings.topic.c_str(), p)->offset = next;
    }
    m_last_commit = Clock::now();
    m_done_since_commit = 0;
    if (list->cnt == 0) return;
    if (m_before_commit) m_before_commit();
    const rd_kafka_resp_err_t err = rd_kafka_commit(m_rk, list.get(), 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        // Not fatal: the messages are read again after a restart or rebalance (at-least-once).
        ++m_stats.commit_errors;
        m_stats.last_error = fmt::format("offset commit failed: {}", rd_kafka_err2str(err));
        return;
    }
    ++m_stats.commits;
    for (int i = 0; i < list->cnt; ++i)
        if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) m_committed[list->elems[i].partition] = list->elems[i].offset;
}

void GroupConsumer::on_rebalance(int err, rd_kafka_topic_partition_list_t* parts) {
    const bool coop = cooperative(m_rk);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        ++m_stats.rebalances;
        for (int i = 0; i < parts->cnt; ++i) m_owned[parts->elems[i].partition] = true;
        if (coop)
            rd_kafka_error_destroy(rd_kafka_incremental_assign(m_rk, parts));
        else
            rd_kafka_assign(m_rk, parts);
        return;
    }
    // Revoked (or lost): commit what was scored before the partitions go to another member.
    if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS && !rd_kafka_assignment_lost(m_rk)) {
        try {
            commit();
        } catch (...) {
            if (!m_pending) m_pending = std::current_exception();
        }
    }
    for (int i = 0; i < parts->cnt; ++i) {
        const std::int32_t p = parts->elems[i].partition;
        m_owned.erase(p);
        m_fetched.erase(p);
        m_done.erase(p);
        m_committed.erase(p);
        if (m_fetching != nullptr) {  // not handed out yet: the new owner reads them
            auto& v = *m_fetching;
            v.erase(std::remove_if(v.begin() + static_cast<std::ptrdiff_t>(m_fetch_start), v.end(),
                                   [p](const Message& m) { return m.partition == p; }),
                    v.end());
        }
    }
    if (coop)
        rd_kafka_error_destroy(rd_kafka_incremental_unassign(m_rk, parts));
    else
        rd_kafka_assign(m_rk, nullptr);
}

void GroupConsumer::rethrow_pending() {
    if (m_pending) std::rethrow_exception(std::exchange(m_pending, nullptr));
}

void GroupConsumer::close() {
    if (m_closed || m_rk == nullptr) return;
    commit();
    m_closed = true;
    m_done.clear();  // the revoke inside close has nothing more to commit
    rd_kafka_consumer_close(m_rk);
    rethrow_pending();
}

std::vector<std::int32_t> GroupConsumer::assignment() const {
    std::vector<std::int32_t> out;
    for (const auto& [p, owned] : m_owned) out.push_back(p);
    return out;
}

}  // namespace logad::kafka
