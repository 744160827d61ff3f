#pragma once
#include "kafka_options.hpp"
#include "ops_options.hpp"
#include "receivers.hpp"

#include <logad/analyze/threaded_parse.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace logad::cli {

struct ScoreOptions {
    std::vector<std::string> files;  // logs, events or one numeric table; none = stdin
    std::string model;       // model file, required
    bool all = false;
    bool records = false;
    std::string output = "ndjson";  // ndjson, ecs, ecs-bulk (logs only)
    std::string incident_gap = "5m";        // every row, not only the anomalous ones
    bool fail_on_anomaly = false;
    int threads = 0;         // 0 = all cores: a table's rows, and logs in files read in blocks
    std::size_t block_rows = 8192;
    std::size_t block_lines = analyze::ThreadedParseOptions{}.block_lines;  // logs with threads (tests make it small)
    bool quiet = false;
    bool summary = false;  // the human summary also when stderr is not a terminal
    bool follow = false;   // read the one file or FIFO like tail -F, until SIGINT/SIGTERM
    std::string clock_horizon = "1h";  // see pipeline::ClockHorizon; 0 = off
    std::string reorder_tolerance;     // see pipeline::TimeOrder; empty = the model's, 0 = off
    OpsFlags ops;  // metrics and alerts (logs only)
    KafkaOptions kafka;  // a topic as input, anomalies to a topic
    ReceiverFlags receive;  // syslog and OTLP receivers as input
};

int run_score(const ScoreOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace logad::cli
