// `logad check` as a CI job runs it: a baseline model, a clean run, a run with new messages.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {


// The baseline: the example's first 1000 lines. A "run" is those lines plus what a test adds.
struct Baseline {
    std::string baseline_log = logad::test::write_temp("check-baseline.log", logad::test::example_log(0, 1000));
    std::string model = logad::test::temp_path("check-model.json");
    Baseline() {
        const auto r = logad::test::run_logad({"train", "-q", "-f", logad::test::k_app_log_format, "-o", model, baseline_log});
        REQUIRE(r.status == 0);
    }
};

const std::string k_benign = "2026-11-20 09:07:42.100 INFO  [main] CacheWarmer: Cache warmed with 5120 entries in 12 ms\n";
// Log text that must be escaped in XML: markup characters, a control character, invalid UTF-8.
const std::string k_hostile = "2026-11-20 09:07:42.500 ERROR [worker-1] Db: disk failure on /dev/sdb <b>&\"x\" \x01 \xff\n";

}  // namespace

TEST_CASE("check passes on a run like the baseline and fails with a report on new messages", "[cli][check]") {
    Baseline b;
    // Thresholds sit above every training score, so the baseline run itself is clean.
    const auto clean = logad::test::run_logad({"check", "-m", b.model, b.baseline_log});
    CHECK(clean.status == 0);
    CHECK(clean.out == "logad check: PASS: 0 incidents from 0 anomaly records (0 incidents tolerated)\n");

    const std::string run = logad::test::write_temp("check-run.log", logad::test::example_log(0, 1000) + k_benign + k_hostile);
    const auto failed = logad::test::run_logad({"check", "-m", b.model, run});
    CHECK(failed.status == 1);
    CHECK_THAT(failed.out, Catch::StartsWith("logad check: FAIL: 2 incidents from 2 anomaly records (0 incidents tolerated)\n"
                                             "New templates (2):\n"));
    CHECK_THAT(failed.out, Catch::Contains("1 line, first at line 1001: Cache warmed with 5120 entries in 12 ms"));
    CHECK_THAT(failed.out, Catch::Contains("first at line 1002: disk failure on /dev/sdb"));

    SECTION("--max-incidents tolerates that many incidents, --max-anomalies alone that many records") {
        CHECK(logad::test::run_logad({"check", "-m", b.model, "--max-incidents", "2", run}).status == 0);
        CHECK(logad::test::run_logad({"check", "-m", b.model, "--max-incidents", "1", run}).status == 1);
        CHECK(logad::test::run_logad({"check", "-m", b.model, "--max-anomalies", "2", run}).status == 0);
        const auto one = logad::test::run_logad({"check", "-m", b.model, "--max-anomalies", "1", run});
        CHECK(one.status == 1);
        CHECK_THAT(one.out, Catch::Contains("(1 anomaly tolerated)"));
        // both given: both bounds apply
        CHECK(logad::test::run_logad({"check", "-m", b.model, "--max-incidents", "5", "--max-anomalies", "1", run}).status == 1);
    }

    SECTION("a flood of one new message is one incident") {
        std::string flood = logad::test::example_log(0, 1000);
        for (int i = 0; i < 50; ++i) flood += k_benign;
        const std::string path = logad::test::write_temp("check-flood.log", flood);
        const auto r = logad::test::run_logad({"check", "-m", b.model, "--max-incidents", "1", path});
        CHECK(r.status == 0);
        CHECK_THAT(r.out, Catch::StartsWith("logad check: PASS: 1 incident from 50 anomaly records (1 incident tolerated)\n"));
    }
    SECTION("--ignore drops a template's records") {
        const auto scored = logad::test::run_logad({"score", "-q", "-m", b.model, run});
        std::istringstream records(scored.out);
        std::string id;
        for (std::string rec; std::getline(records, rec);) {
            const auto at = rec.find("\"template_id\":");
            if (rec.find("Cache warmed") != std::string::npos && at != std::string::npos)
                id = rec.substr(at + 14, rec.find(',', at) - at - 14);
        }
        REQUIRE(!id.empty());
        const auto ignored = logad::test::run_logad({"check", "-m", b.model, "--ignore", id, "--max-anomalies", "1", run});
        CHECK(ignored.status == 0);
        CHECK_THAT(ignored.out, Catch::Contains("New templates (1):"));
        CHECK_THAT(ignored.out, Catch::Contains("Not counted: 1 record of --ignore'd templates"));
    }
    SECTION("--report junit: one suite, a case per check, failures with details, all text escaped") {
        const auto junit = logad::test::run_logad({"check", "-m", b.model, "--report", "junit", run});
        CHECK(junit.status == 1);
        const std::string& x = junit.out;
        CHECK_THAT(x, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"logad check\" tests=\"3\" failures=\"1\""));
        CHECK_THAT(x, Catch::Contains("<testcase classname=\"logad.check\" name=\"new templates\">\n    <failure"));
        CHECK_THAT(x, Catch::Contains("<testcase classname=\"logad.check\" name=\"surging templates\"/>"));
        CHECK_THAT(x, Catch::Contains("<testcase classname=\"logad.check\" name=\"other anomalies\"/>"));
        CHECK_THAT(x, Catch::Contains("disk failure on /dev/sdb &lt;b&gt;&amp;&quot;x&quot; \xEF\xBF\xBD \xEF\xBF\xBD"));
        CHECK(x.find("<b>") == std::string::npos);
        CHECK(x.find('\x01') == std::string::npos);
        CHECK(x.find('\xff') == std::string::npos);
        CHECK_THAT(x, Catch::EndsWith("</system-out>\n</testsuite>\n"));
    }
}

TEST_CASE("check exits 2 on errors", "[cli][check]") {
    const std::string log = logad::test::write_temp("check-any.log", logad::test::example_log(0, 10));
    CHECK(logad::test::run_logad({"check", "-m", logad::test::temp_path("no-such-model.json"), log}).status == 2);
    CHECK(logad::test::run_logad({"check", log}).status == 2);  // no model
    Baseline b;
    CHECK(logad::test::run_logad({"check", "-m", b.model, "--format", "xml", log}).status == 2);
    CHECK(logad::test::run_logad({"check", "-m", b.model, logad::test::temp_path("no-such-run.log")}).status == 2);
}

TEST_CASE("the CI example script trains a baseline once and gates a run", "[cli][check]") {
    namespace fs = std::filesystem;
    const fs::path dir = logad::test::temp_path("ci-example");
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "baseline.log", std::ios::binary) << logad::test::example_log(0, 1000);
    std::ofstream(dir / "clean.log", std::ios::binary) << logad::test::example_log(0, 1000);
    std::ofstream(dir / "bad.log", std::ios::binary) << logad::test::example_log(0, 1000) + k_benign;
    auto run_script = [&](const std::string& run, const std::string& report) {
        const std::string cmd = "cd '" + dir.string() + "' && LOGAD='" LOGAD_BINARY "' LOGAD_FORMAT='" + logad::test::k_app_log_format +
                                "' sh '" LOGAD_SOURCE_DIR "/examples/ci/logad-check.sh' baseline.log " + run + " " + report +
                                " > script.out 2>&1";
        const int rc = std::system(cmd.c_str());
        return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    };
    auto read = [&](const std::string& name) {
        std::ifstream in(dir / name, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    CHECK(run_script("clean.log", "clean.xml") == 0);
    CHECK(fs::exists(dir / "logad-baseline.json"));
    CHECK_THAT(read("clean.xml"), Catch::Contains("<testsuite name=\"logad check\" tests=\"3\" failures=\"0\""));
    CHECK(run_script("bad.log", "bad.xml") == 1);
    CHECK_THAT(read("bad.xml"), Catch::Contains("failures=\"1\""));
    CHECK_THAT(read("script.out"), Catch::Contains("logad check: FAIL: 1 incident from 1 anomaly record (0 incidents tolerated)"));
    CHECK(run_script("no-such.log", "x.xml") == 2);
    // The CI snippets call this script.
    for (const char* yml : {"github-actions.yml", "gitlab-ci.yml"}) {
        std::ifstream in(std::string(LOGAD_SOURCE_DIR "/examples/ci/") + yml);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK_THAT(text, Catch::Contains("examples/ci/logad-check.sh baseline.log test-run.log logad-report.xml"));
    }
}
