// logad as a person at a terminal sees it, on a real pseudo-terminal: a progress line and a
// summary with colour there, and none of it in pipes, files or under NO_COLOR.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace {


struct Setup {
    std::string model = logad::test::temp_path("terminal-model.json");
    std::string log;
    Setup() {
        const std::string normal = logad::test::write_temp("terminal-normal.log", logad::test::example_log(0, 1000));
        REQUIRE(logad::test::run_logad({"train", "-q", "-f", logad::test::k_app_log_format, "-o", model, normal}).status == 0);
        std::string big;
        const std::string rest = logad::test::example_log(1000, 100000);
        for (int i = 0; i < 10; ++i) big += rest;  // about 8000 lines: several progress updates
        log = logad::test::write_temp("terminal-score.log", big);
        ::setenv("LOGAD_PROGRESS_DELAY_MS", "0", 1);  // draw from the first thousand lines on
        ::unsetenv("NO_COLOR");
        ::setenv("TERM", "xterm", 1);
    }
    ~Setup() { ::unsetenv("LOGAD_PROGRESS_DELAY_MS"); }
};

bool has_progress(const std::string& terminal) {
    return terminal.find("\rlogad score: ") != std::string::npos && terminal.find(" lines/s") != std::string::npos;
}

}  // namespace

TEST_CASE("on a terminal, score draws progress with a percentage, erases it and prints a summary", "[cli][terminal]") {
    Setup s;
    const std::string out = logad::test::temp_path("terminal-out.ndjson");
    const auto r = logad::test::run_logad_on_terminal({"score", "-m", s.model, s.log}, out);
    if (r.status == -1) {
        WARN("no pseudo-terminal on this machine: terminal behaviour not tested");
        return;
    }
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(has_progress(r.err));
    CHECK_THAT(r.err, Catch::Contains("%"));  // every input is a regular file: the share done is known
    // Erased before the totals, which start on a clean line.
    CHECK_THAT(r.err, Catch::Contains("\r\x1b[Klogad score: "));
    CHECK_THAT(r.err, Catch::Contains("over time: 2026-11-20 "));
    CHECK_THAT(r.err, Catch::Contains("largest incidents:"));
    CHECK_THAT(r.err, Catch::Contains("\x1b[1;31m"));  // the anomaly count in red
    std::ifstream records(out);
    std::string first;
    REQUIRE(std::getline(records, first));
    CHECK_THAT(first, Catch::StartsWith("{\"per\":"));
}

TEST_CASE("no progress when stdout goes into a pipe, no colour under NO_COLOR or --color never", "[cli][terminal]") {
    Setup s;
    const auto piped = logad::test::run_logad_on_terminal({"score", "-m", s.model, s.log}, "");
    if (piped.status == -1) {
        WARN("no pseudo-terminal on this machine: terminal behaviour not tested");
        return;
    }
    INFO(piped.err);
    CHECK(piped.status == 0);
    CHECK_FALSE(has_progress(piped.err));  // a pipe's reader prints on the same terminal
    CHECK_THAT(piped.err, Catch::Contains("over time: "));
    CHECK_THAT(piped.out, Catch::Contains("\"per\":\"incident\""));

    ::setenv("NO_COLOR", "1", 1);
    const auto plain = logad::test::run_logad_on_terminal({"score", "-m", s.model, s.log}, "");
    ::unsetenv("NO_COLOR");
    CHECK_THAT(plain.err, Catch::Contains("over time: "));
    CHECK_THAT(plain.err, !Catch::Contains("\x1b[1;31m"));

    const auto never = logad::test::run_logad_on_terminal({"score", "--color", "never", "-m", s.model, "missing.log"}, "");
    CHECK(never.status == 2);
    CHECK_THAT(never.err, Catch::StartsWith("logad score: error: cannot open missing.log"));
    const auto coloured = logad::test::run_logad_on_terminal({"score", "-m", s.model, "missing.log"}, "");
    CHECK_THAT(coloured.err, Catch::StartsWith("logad score: \x1b[1;31merror:\x1b[0m cannot open missing.log"));
}

TEST_CASE("in pipes and files nothing for terminals is written: no progress, summary or escapes", "[cli][terminal]") {
    Setup s;
    const auto r = logad::test::run_logad({"score", "-m", s.model, s.log});
    CHECK(r.status == 0);
    CHECK(r.err.find('\r') == std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK_THAT(r.err, !Catch::Contains("over time:"));
    // --summary asks for the summary anyway (cron mail), still without colour.
    const auto asked = logad::test::run_logad({"score", "--summary", "-m", s.model, s.log});
    CHECK_THAT(asked.err, Catch::Contains("largest incidents:"));
    CHECK(asked.err.find('\x1b') == std::string::npos);
}

TEST_CASE("on a terminal, train shows its reading progress and the fitting phase", "[cli][terminal]") {
    Setup s;
    const std::string model = logad::test::temp_path("terminal-train.json");
    const auto r = logad::test::run_logad_on_terminal({"train", "-f", logad::test::k_app_log_format, "-o", model, s.log}, "");
    if (r.status == -1) {
        WARN("no pseudo-terminal on this machine: terminal behaviour not tested");
        return;
    }
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Catch::Contains("\rlogad train: "));
    CHECK_THAT(r.err, Catch::Contains("fitting iforest on "));
    CHECK_THAT(r.err, Catch::Contains("\r\x1b[Klogad train: "));  // erased before the training summary
}
