// The README shows what logad prints: its terminal-summary sample is what `score` prints on a
// terminal after the quick start (regenerate it by running the command the README names).
#include "process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace {

// The text of the first ``` block after the line holding `marker`.
std::string block_after(const std::string& path, const std::string& marker) {
    std::ifstream in(path);
    std::string line, block;
    bool found = false, inside = false;
    while (std::getline(in, line)) {
        if (!found) {
            found = line.find(marker) != std::string::npos;
        } else if (line.rfind("```", 0) == 0) {
            if (inside) return block;
            inside = true;
        } else if (inside) {
            block += line + "\n";
        }
    }
    return {};
}

}  // namespace

TEST_CASE("the README's terminal summary is what score prints after the quick start", "[cli][readme]") {
    const std::string sample = block_after(std::string(LOGAD_SOURCE_DIR) + "/README.md", "on a terminal shows:");
    REQUIRE(!sample.empty());
    // The quick start: train on the first 1000 lines, score the rest.
    const std::string model = logad::test::temp_path("readme-model.json");
    REQUIRE(logad::test::run_logad({"train", "-q", "-o", model, logad::test::write_temp("readme-normal.log", logad::test::example_log(0, 1000))}).status == 0);
    const std::string fresh = logad::test::write_temp("readme-new.log", logad::test::example_log(1000, 100000));
    ::setenv("NO_COLOR", "1", 1);
    ::setenv("LOGAD_PROGRESS_DELAY_MS", "600000", 1);  // no progress line in the way
    const auto r = logad::test::run_logad_on_terminal({"score", "-m", model, fresh}, logad::test::temp_path("readme-anomalies.ndjson"));
    ::unsetenv("NO_COLOR");
    ::unsetenv("LOGAD_PROGRESS_DELAY_MS");
    if (r.status == -1) {
        WARN("no pseudo-terminal on this machine: the README's terminal summary not checked");
        return;
    }
    std::string shown = r.err;
    shown.erase(std::remove(shown.begin(), shown.end(), '\r'), shown.end());
    CHECK(shown == sample);
}
