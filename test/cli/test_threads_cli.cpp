// `logad parse --threads N`: the same stdout, stderr and state file as --threads 1, on files,
// gzip archives, several inputs, multiline logs whose stack traces cross block boundaries
// (--block-lines, a hidden option for tests, makes blocks small), and the same errors.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using logad::test::run_logad;
using logad::test::write_temp;

std::string slurp_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Records of examples/app.log's layout, a stack trace under every fifth.
std::string traced_log(int records) {
    std::string s = "\tat a.log.that.Starts(WithAFrame.java:1)\n";
    for (int i = 0; i < records; ++i) {
        s += "2024-03-01 12:" + std::to_string(10 + i % 50) + ":00,123 " + (i % 5 ? "INFO" : "ERROR") +
             " [worker-" + std::to_string(i % 4) + "] com.example.Jobs: job " + std::to_string(i) + " took " +
             std::to_string(i % 97) + " ms\n";
        if (i % 5 == 0) {
            s += "java.lang.IllegalStateException: job " + std::to_string(i) + "\n";
            for (int d = 0; d < i % 7; ++d) s += "\tat com.example.Jobs.step" + std::to_string(d) + "(Jobs.java:" + std::to_string(40 + d) + ")\n";
        }
    }
    return s;
}

// stdout and stderr of `logad parse ARGS` with each thread count (and small blocks) are those of --threads 1
void require_same_with_threads(const std::vector<std::string>& args) {
    std::vector<std::string> one = {"parse", "--threads", "1"};
    one.insert(one.end(), args.begin(), args.end());
    const auto a = run_logad(one);
    REQUIRE(a.status == 0);
    for (const char* threads : {"2", "4"})
        for (const char* block : {"1", "3", "64"}) {
            std::vector<std::string> many = {"parse", "--threads", threads, "--block-lines", block};
            many.insert(many.end(), args.begin(), args.end());
            const auto b = run_logad(many);
            INFO("--threads " << threads << " --block-lines " << block);
            REQUIRE(b.status == 0);
            REQUIRE(b.out == a.out);
            REQUIRE(b.err == a.err);
        }
}

}  // namespace

TEST_CASE("parse --threads writes what one thread writes on the examples", "[cli][threads]") {
    const std::string app = std::string(LOGAD_SOURCE_DIR) + "/examples/app.log";
    require_same_with_threads({"--format", logad::test::k_app_log_format, app});
    require_same_with_threads({app});  // auto: parsed in order, written in parallel
    require_same_with_threads({"--format", "raw", app});
}

TEST_CASE("parse --threads keeps stack traces whole across block boundaries", "[cli][threads]") {
    const std::string log = write_temp("threads-traced.log", traced_log(300));
    const std::string format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";
    require_same_with_threads({"--format", format, log});
    require_same_with_threads({"--format", format, "--no-multiline", log});
    const auto r = run_logad({"parse", "--threads", "2", "--block-lines", "2", "--format", format, log});
    CHECK(r.err.find(" continuation lines") != std::string::npos);
    CHECK(r.err.find(" 0 continuation lines") == std::string::npos);
}

TEST_CASE("parse --threads on gzip archives and several files", "[cli][threads]") {
    const std::string plain = write_temp("threads-plain.log", traced_log(120));
    const std::string packed = write_temp("threads-packed.log", traced_log(200));
    REQUIRE(std::system(("gzip -f " + packed).c_str()) == 0);
    require_same_with_threads({"--format", "<Date> <Time> <Level> [<Thread>] <Component>: <Content>", plain, packed + ".gz", plain});
}

TEST_CASE("parse --threads with --state gives the same ids and the same state file", "[cli][threads]") {
    const std::string first = write_temp("threads-state-1.log", traced_log(150));
    const std::string second = write_temp("threads-state-2.log", traced_log(260));
    const std::string format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";
    std::vector<std::string> outputs, states;
    for (const char* threads : {"1", "2"}) {
        const std::string state = logad::test::temp_path(std::string("threads-") + threads + ".state");
        std::remove(state.c_str());
        std::string out;
        for (const std::string& log : {first, second}) {
            const auto r = run_logad({"parse", "-q", "--threads", threads, "--block-lines", "5", "--format", format, "--state", state, log});
            REQUIRE(r.status == 0);
            out += r.out;
        }
        outputs.push_back(out);
        states.push_back(slurp_file(state));
    }
    CHECK(outputs[0] == outputs[1]);
    CHECK(states[0] == states[1]);
}

TEST_CASE("parse --threads reads a pipe line by line, with the same output", "[cli][threads]") {
    const std::string text = traced_log(50);
    const auto a = run_logad({"parse", "--threads", "1", "--format", logad::test::k_app_log_format}, text);
    const auto b = run_logad({"parse", "--threads", "2", "--format", logad::test::k_app_log_format}, text);
    REQUIRE(a.status == 0);
    CHECK(b.out == a.out);
    CHECK(b.err == a.err);
}

TEST_CASE("parse --threads fails on a damaged archive as one thread does", "[cli][threads]") {
    const std::string packed = write_temp("threads-damaged.log", traced_log(3000));
    REQUIRE(std::system(("gzip -f " + packed).c_str()) == 0);
    const std::string whole = slurp_file(packed + ".gz");
    const std::string cut = write_temp("threads-damaged-cut.log.gz", whole.substr(0, whole.size() / 2));
    const auto a = run_logad({"parse", "-q", "--threads", "1", cut});
    const auto b = run_logad({"parse", "-q", "--threads", "2", "--block-lines", "4", cut});
    REQUIRE(a.status == 2);
    CHECK(b.status == 2);
    CHECK(b.err == a.err);
    CHECK_THAT(b.err, Catch::StartsWith("logad parse: error: " + cut));
}

TEST_CASE("parse --threads on a live pipe writes each record as it comes", "[cli][threads]") {
    logad::test::LiveProcess logad({"parse", "-q", "--threads", "4", "--format", "raw"});
    logad.write("first line of a live stream\n");
    const std::string got = logad.read_line(5000);  // long before the input ends
    CHECK(got.find("first line of a live stream") != std::string::npos);
    logad.write("second line\n");
    CHECK(logad.read_line(5000).find("second line") != std::string::npos);
    logad.close_input();
    CHECK(logad.wait() == 0);
}

namespace {

// stdout, stderr and the exit code of `logad score ARGS` with each thread count (and small
// blocks) are those of --threads 1.
void require_same_scores_with_threads(const std::vector<std::string>& args) {
    std::vector<std::string> one = {"score", "--threads", "1"};
    one.insert(one.end(), args.begin(), args.end());
    const auto a = run_logad(one);
    REQUIRE(a.status != 2);
    for (const char* threads : {"2", "3"})
        for (const char* block : {"1", "5", "64"}) {
            std::vector<std::string> many = {"score", "--threads", threads, "--block-lines", block};
            many.insert(many.end(), args.begin(), args.end());
            const auto b = run_logad(many);
            INFO("--threads " << threads << " --block-lines " << block);
            CHECK(b.status == a.status);
            CHECK(b.out == a.out);
            CHECK(b.err == a.err);
        }
}

// A model trained on the first records of traced_log (stack traces under every fifth).
std::string traced_model(const std::string& name, const std::vector<std::string>& extra = {}) {
    const std::string train = write_temp(name + "-train.log", traced_log(400));
    const std::string model = logad::test::temp_path(name + ".json");
    std::vector<std::string> args = {"train", "-q", "--format", logad::test::k_app_log_format, "-o", model};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(train);
    REQUIRE(run_logad(args).status == 0);
    return model;
}

}  // namespace

TEST_CASE("score --threads writes what one thread writes: alerts, every row, the summary", "[cli][threads]") {
    const std::string model = traced_model("threads-score");
    const std::string log = write_temp("threads-score.log", traced_log(900));
    require_same_scores_with_threads({"-m", model, "--records", "--summary", log});
    require_same_scores_with_threads({"-m", model, "--all", log});
    require_same_scores_with_threads({"-m", model, "--fail-on-anomaly", "--output", "ecs", log});
}

TEST_CASE("score --threads with sessions, several files and a gzip archive", "[cli][threads]") {
    const std::string model = traced_model("threads-score-keyed", {"--key", "Thread"});
    const std::string first = write_temp("threads-score-1.log", traced_log(300));
    const std::string packed = write_temp("threads-score-2.log", traced_log(500));
    REQUIRE(std::system(("gzip -f " + packed).c_str()) == 0);
    require_same_scores_with_threads({"-m", model, "--records", first, packed + ".gz"});
}

TEST_CASE("score --threads reads a pipe line by line, with the same output", "[cli][threads]") {
    const std::string model = traced_model("threads-score-pipe");
    const std::string text = traced_log(300);
    const auto a = run_logad({"score", "--threads", "1", "--records", "-m", model}, text);
    const auto b = run_logad({"score", "--threads", "2", "--block-lines", "3", "--records", "-m", model}, text);
    REQUIRE(a.status == 0);
    CHECK(b.out == a.out);
    CHECK(b.err == a.err);
}

TEST_CASE("score --threads fails on a damaged archive as one thread does", "[cli][threads]") {
    const std::string model = traced_model("threads-score-damaged");
    const std::string packed = write_temp("threads-score-damaged.log", traced_log(3000));
    REQUIRE(std::system(("gzip -f " + packed).c_str()) == 0);
    const std::string whole = slurp_file(packed + ".gz");
    const std::string cut = write_temp("threads-score-damaged-cut.log.gz", whole.substr(0, whole.size() / 2));
    const auto a = run_logad({"score", "-q", "--threads", "1", "-m", model, cut});
    const auto b = run_logad({"score", "-q", "--threads", "2", "--block-lines", "4", "-m", model, cut});
    REQUIRE(a.status == 2);
    CHECK(b.status == 2);
    CHECK(b.err == a.err);
}

TEST_CASE("score --threads on a live pipe writes an alert as its line comes", "[cli][threads]") {
    const std::string model = traced_model("threads-score-live");
    logad::test::LiveProcess logad({"score", "-q", "--threads", "4", "--records", "-m", model});
    logad.write("2024-03-01 12:10:00,123 ERROR [worker-9] com.example.Disk: disk /dev/sda1 failed with I/O error 5\n");
    const std::string got = logad.read_line(5000);  // long before the input ends
    CHECK(got.find("\"detector\":\"signal:new_template\"") != std::string::npos);
    logad.close_input();
    CHECK(logad.wait() == 0);
}
