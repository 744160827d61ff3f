#pragma once
// Settings every Kafka client of logad shares (the group consumer and the anomaly publisher).
// librdkafka does the protocol; these classes add logad's rules: failures at start become
// InputError/UsageError with a message saying what to check, and librdkafka's own log lines are
// handed to a callback on the caller's thread (never printed by the library).
#include <logad/export.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logad::kafka {

// librdkafka's log line: syslog level (0 emergency .. 7 debug), facility ("FAIL", "CGRP"...), text.
using LogFn = std::function<void(int level, std::string_view facility, std::string_view message)>;

struct ClientSettings {
    std::string brokers;  // bootstrap servers, "host:port[,host:port...]"
    // Extra librdkafka properties ("security.protocol", "session.timeout.ms"...), applied last.
    std::vector<std::pair<std::string, std::string>> properties;
    int connect_timeout_ms = 10000;  // how long to try to reach the brokers at start
    LogFn log;                       // empty: librdkafka's log lines are dropped
    int log_level = 3;               // forwarded up to this syslog level: 3 = errors only
};

// "key=value" -> {key, value}; throws UsageError naming `flag` when there is no '='.
LOGAD_API std::pair<std::string, std::string> parse_property(std::string_view text, std::string_view flag);

}  // namespace logad::kafka
