// Nothing already written is lost: a model file is replaced whole or not at all, whenever
// `logad train` is killed.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../support/support.hpp"

namespace fs = std::filesystem;
using logad::test::LiveProcess;
using logad::test::run_logad;

namespace {

const std::string k_example = LOGAD_SOURCE_DIR "/examples/app.log";

}  // namespace

TEST_CASE("SIGKILL at any moment of train leaves the previous model or the new one, never a mix", "[cli][reliability]") {
    const std::string big = logad::test::temp_path("kill-train.log");
    {
        std::ofstream out(big, std::ios::binary);
        const std::string example = logad::test::read_all(k_example);
        for (int i = 0; i < 20; ++i) out << example;  // long enough that a kill lands in every phase
    }
    const std::string model = logad::test::temp_path("kill-model.json");
    const std::string complete = logad::test::temp_path("kill-complete.json");
    REQUIRE(run_logad({"train", "-q", "--seed", "3", "-o", model, k_example}).status == 0);
    REQUIRE(run_logad({"train", "-q", "--seed", "3", "-o", complete, big}).status == 0);
    const std::string old_model = logad::test::read_all(model);
    const std::string new_model = logad::test::read_all(complete);
    REQUIRE(old_model != new_model);

    // Time one whole run, then kill runs at delays spread over it.
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(run_logad({"train", "-q", "--seed", "3", "-o", logad::test::temp_path("kill-timing.json"), big}).status == 0);
    const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);

    int killed = 0;
    for (int i = 0; i < 16; ++i) {
        fs::copy_file(model, model + ".keep", fs::copy_options::overwrite_existing);
        LiveProcess train({"train", "-q", "--seed", "3", "-o", model, big});
        std::this_thread::sleep_for(whole * (i + 1) / 16);
        train.send_signal(SIGKILL);
        killed += train.wait() == 128 + SIGKILL;
        const std::string now = logad::test::read_all(model);
        INFO("kill " << i << " after " << (whole * (i + 1) / 16).count() << " us");
        CHECK((now == old_model || now == new_model));
        // The model left behind is usable.
        CHECK(run_logad({"score", "-q", "-m", model, k_example}).status != 2);
        fs::rename(model + ".keep", model);
    }
    CHECK(killed >= 4);  // runs were really interrupted, not finished before the kill
}

TEST_CASE("SIGTERM during a live score flushes the open sessions and exits cleanly", "[cli][reliability]") {
    std::vector<std::string> lines;
    {
        std::istringstream in(logad::test::read_all(k_example));
        for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    REQUIRE(lines.size() > 1500);
    std::string train_text, live_text;
    for (std::size_t i = 0; i < lines.size(); ++i) (i < 1000 ? train_text : live_text) += lines[i] + "\n";
    const std::string train = logad::test::temp_path("sigterm-train.log");
    std::ofstream(train, std::ios::binary) << train_text;
    const std::string model = logad::test::temp_path("sigterm-model.json");
    // Sessions per thread stay open until 30 minutes of quiet: only the end of input emits them.
    REQUIRE(run_logad({"train", "-q", "-f", "<Date> <Time> <Level> [<Thread>] <Component>: <Content>", "--per", "session",
                       "--key", "Thread", "-o", model, train})
                .status == 0);

    LiveProcess score({"score", "-q", "--all", "-m", model});
    score.write(live_text);  // the input stays open
    std::string before;
    for (std::string line; !(line = score.read_line(3000)).empty();) before += line;
    CHECK(before.find("\"per\":\"session\"") == std::string::npos);
    score.send_signal(SIGTERM);
    std::string after;
    for (std::string line; !(line = score.read_line(10000)).empty();) after += line;
    CHECK(score.wait() == 0);
    INFO(after);
    CHECK(after.find("\"per\":\"session\"") != std::string::npos);  // flushed at the stop, not lost
    CHECK(after.find("\"key\":\"worker-1\"") != std::string::npos);
}
