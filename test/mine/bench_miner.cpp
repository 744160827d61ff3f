// Throughput of learn() on the HDFS messages (hidden: run `test_mine "[.bench]"`). Not a timed
// test: it prints ns/message for the report and checks nothing about speed.
#include "loghub_eval.hpp"

#include <catch2/catch.hpp>

#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace logad;

TEST_CASE("learn() throughput on HDFS messages", "[.bench][mine]") {
    const std::string csv = test::shared_data_dir() + "/loghub-2k/HDFS/HDFS_2k.log_structured.csv";
    if (!std::filesystem::exists(csv)) {
        WARN("skipped: " << csv << " not found");
        return;
    }
    const auto rows = test::read_csv(csv);
    std::vector<std::string> messages;
    for (std::size_t r = 1; r < rows.size(); ++r) messages.push_back(rows[r][6]);  // Content
    mine::TemplateMiner miner;
    Event ev;
    const char* env_rounds = std::getenv("LOGAD_BENCH_ROUNDS");
    const int rounds = env_rounds ? std::atoi(env_rounds) : 500;
    std::size_t params = 0;
    // CPU time of this thread: the machine is shared, wall time would count the others' work
    const auto cpu_ns = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
    };
    const double start = cpu_ns();
    for (int round = 0; round < rounds; ++round)
        for (const std::string& m : messages) {
            ev.record.message.assign(m);  // the CLI moves a fresh message in: a copy is comparable
            miner.learn(ev);
            params += ev.params.size();
        }
    const double ns = (cpu_ns() - start) /
                      (static_cast<double>(rounds) * static_cast<double>(messages.size()));
    std::printf("learn(): %.0f ns/message over %zu HDFS messages, %zu templates, %zu params\n", ns,
                rounds * messages.size(), miner.size(), params);
    CHECK(miner.size() < 100);
}
