// Golden tests: each folder under test/golden/ is one scenario run through the real binary, and
// what it prints must equal the folder's `expected` file byte for byte.
//
// A folder holds `steps`: invocations separated by blank lines, one argument per line, with
//   @CASE@  the scenario's folder      @TMP@  a fresh temporary folder
//   @EXAMPLES@  the project's examples/
// and two optional first lines per step: `< FILE` feeds FILE as stdin, `> FILE` saves stdout
// to FILE instead of showing it (to chain steps as a pipe would). `expected` holds, per step,
// "== step N: exit R" and the step's stdout. stderr is not compared (it holds timings).
//
// After an intended change of output: LOGAD_REGEN_GOLDEN=1 build/test/test_cli '[golden]'
// rewrites the `expected` files; review them with git diff before committing.
// Tolerance: every byte must agree except numbers with a fraction or exponent, which must agree
// to a relative 1e-5 (k_golden_rtol in golden_compare.hpp; LOGAD_GOLDEN_RTOL overrides it), since
// model scores differ in their last digits between CPUs (README, "Tests").
#include "golden_compare.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/support.hpp"

namespace fs = std::filesystem;

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::vector<std::vector<std::string>> read_steps(const fs::path& file) {
    std::vector<std::vector<std::string>> steps(1);
    std::istringstream in(logad::test::read_all(file));
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            if (!steps.back().empty()) steps.emplace_back();
            continue;
        }
        steps.back().push_back(line);
    }
    if (steps.back().empty()) steps.pop_back();
    return steps;
}

std::string run_case(const fs::path& dir) {
    const fs::path tmp = logad::test::temp_path("golden-" + dir.filename().string());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    std::string shown;
    int n = 0;
    for (auto args : read_steps(dir / "steps")) {
        for (auto& a : args) {
            replace_all(a, "@CASE@", dir.string());
            replace_all(a, "@TMP@", tmp.string());
            replace_all(a, "@EXAMPLES@", LOGAD_SOURCE_DIR "/examples");
        }
        std::string input, save_to;
        while (!args.empty() && (args.front().rfind("< ", 0) == 0 || args.front().rfind("> ", 0) == 0)) {
            if (args.front()[0] == '<')
                input = logad::test::read_all(args.front().substr(2));
            else
                save_to = args.front().substr(2);
            args.erase(args.begin());
        }
        const auto r = logad::test::run_logad(args, input);
        shown += fmt::format("== step {}: exit {}\n", ++n, r.status);
        if (save_to.empty())
            shown += r.out;
        else
            std::ofstream(save_to, std::ios::binary) << r.out;
    }
    return shown;
}

}  // namespace

TEST_CASE("golden outputs of every subcommand", "[cli][golden]") {
    const fs::path root = LOGAD_SOURCE_DIR "/test/golden";
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(root))
        if (fs::exists(entry.path() / "steps")) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    REQUIRE(cases.size() >= 5);
    const bool regen = std::getenv("LOGAD_REGEN_GOLDEN") != nullptr;
    for (const auto& dir : cases) {
        DYNAMIC_SECTION(dir.filename().string()) {
            const std::string got = run_case(dir);
            if (regen) {
                std::ofstream(dir / "expected", std::ios::binary) << got;
                WARN("rewrote " << (dir / "expected").string());
                continue;
            }
            INFO("after an intended change of output: LOGAD_REGEN_GOLDEN=1 <build>/test/test_cli '[golden]', then review git diff");
            REQUIRE(fs::exists(dir / "expected"));
            const char* rtol = std::getenv("LOGAD_GOLDEN_RTOL");
            const auto difference = logad::test::golden_difference(logad::test::read_all(dir / "expected"), got,
                                                                   rtol ? std::stod(rtol) : logad::test::k_golden_rtol);
            INFO(difference.value_or(""));
            CHECK_FALSE(difference.has_value());
        }
    }
}
