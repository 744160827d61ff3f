// Real logs that used to fail, or pass silently, end to end (issue 11): logs whose first line
// opens with `[`, checks of empty or short runs, a session key that matches nothing, too few
// records, zero durations and folders of folders.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using logad::test::run_logad;
using logad::test::temp_path;
using logad::test::write_temp;

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// A log in the layout of Apache's error log, written here (no third-party lines):
// `[Mon Nov 16 08:00:00 2026] [notice] message`, one line every 10 s from 08:00.
std::string bracketed_log(int lines, bool with_requests = true) {
    std::string s;
    for (int i = 0; i < lines; ++i) {
        const int t = i * 10;
        s += "[Mon Nov 16 " + two(8 + t / 3600) + ":" + two(t / 60 % 60) + ":" + two(t % 60) + " 2026] ";
        switch (i % 4) {
        case 0: s += "[notice] worker " + std::to_string(100 + i % 13) + " ready on slot " + std::to_string(i % 8); break;
        case 1: s += "[info] cache refreshed with " + std::to_string(500 + i % 40) + " entries"; break;
        case 2:
            s += with_requests ? "[info] request req-" + std::to_string(i % 20) + " served in " + std::to_string(3 + i % 9) + " ms"
                               : "[info] heartbeat " + std::to_string(i) + " sent";
            break;
        default: s += "[error] upstream pool-" + std::to_string(i % 3) + " timed out after " + std::to_string(100 + i % 50) + " ms";
        }
        s += "\n";
    }
    return s;
}

// The start of a kernel ring buffer dump (dmesg), also written here.
std::string dmesg_log(int lines) {
    std::string s;
    for (int i = 0; i < lines; ++i) {
        const std::string secs = std::to_string(i / 10) + "." + std::to_string(100000 + i * 3917 % 900000);
        s += "[" + std::string(5 - std::min<std::size_t>(5, secs.find('.')), ' ') + secs + "] ";
        s += i % 3 == 0 ? "usb 1-" + std::to_string(i % 4) + ": new high-speed USB device number " + std::to_string(i % 9)
             : i % 3 == 1 ? "ata" + std::to_string(i % 2 + 1) + ": SATA link up 6.0 Gbps"
                          : "EXT4-fs (sda" + std::to_string(i % 3) + "): mounted filesystem with ordered data mode";
        s += "\n";
    }
    return s;
}

std::string first_lines(const std::string& text, std::size_t n) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < n && at != std::string::npos; ++i) at = text.find('\n', at + 1);
    return at == std::string::npos ? text : text.substr(0, at + 1);
}

}  // namespace

TEST_CASE("a log whose first line opens with a bracket trains and scores (Apache error log, dmesg)", "[cli][input]") {
    const std::string log = write_temp("bracketed.log", bracketed_log(300));
    const std::string model = temp_path("bracketed-model.json");
    const auto trained = run_logad({"train", "-q", "-o", model, log});
    INFO(trained.err);
    REQUIRE(trained.status == 0);
    CHECK(trained.err.empty());

    const auto with_input_logs = run_logad({"train", "-q", "--input", "logs", "-o", temp_path("bracketed-model2.json"), log});
    CHECK(with_input_logs.status == 0);
    CHECK(with_input_logs.err.empty());

    // `head apache.log | logad score -m m.json`: stdin, read as logs
    const auto scored = run_logad({"score", "-q", "-m", model}, first_lines(bracketed_log(300), 20));
    INFO(scored.err);
    CHECK(scored.status == 0);
    CHECK(scored.err.find("numeric table") == std::string::npos);

    const auto dmesg = run_logad({"train", "-q", "-o", temp_path("dmesg-model.json")}, dmesg_log(200));
    INFO(dmesg.err);
    CHECK(dmesg.status == 0);

    // Told to read a table, it says the first line reads as a log line.
    const auto as_table = run_logad({"train", "-q", "--input", "table", "-o", temp_path("t.json"), log});
    CHECK(as_table.status == 2);
    CHECK_THAT(as_table.err, Catch::StartsWith("logad train: error: ") && Catch::Contains(":1: not valid JSON, and not a table row: it reads as a log line"));
}

TEST_CASE("an explicit --input logs or --format wins over a first line that looks like a table", "[cli][input]") {
    // The first line is a JSON array of numbers, which alone would make a table.
    const std::string log = write_temp("table-first.log", "[1, 2, 3]\n" + bracketed_log(200));
    const auto guessed = run_logad({"train", "-q", "-o", temp_path("tf0.json"), log});
    CHECK(guessed.status == 2);  // a table whose second row is a log line

    const std::string logs_model = temp_path("tf1.json");
    CHECK(run_logad({"train", "-q", "--input", "logs", "-o", logs_model, log}).status == 0);
    // The model decides what score reads: logs, with a word on the table-like first line.
    const auto scored_auto = run_logad({"score", "-q", "-m", logs_model, log});
    CHECK(scored_auto.status == 0);
    CHECK_THAT(scored_auto.err, Catch::StartsWith("logad score: warning: the first line of " + log +
                                                  " looks like a numeric table; it is read as logs"));
    const std::string raw_model = temp_path("tf2.json");
    const auto raw = run_logad({"train", "-q", "--format", "raw", "-o", raw_model, log});
    INFO(raw.err);
    REQUIRE(raw.status == 0);
    // The model's explicit format wins when scoring too.
    const auto scored = run_logad({"score", "-q", "-m", raw_model, log});
    INFO(scored.err);
    CHECK(scored.status == 0);
    CHECK(scored.err.empty());

    const auto both = run_logad({"train", "--input", "table", "--format", "raw", "-o", temp_path("tf3.json"), log});
    CHECK(both.status == 2);
    CHECK_THAT(both.err, Catch::Contains("--format and --regex describe logs; --input table reads a numeric table"));
}

TEST_CASE("check refuses a run with no records, and warns when the run is shorter than a window", "[cli][input][check]") {
    const std::string model = temp_path("check-input-model.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, write_temp("check-input.log", bracketed_log(300))}).status == 0);

    const auto empty_file = run_logad({"check", "-m", model, write_temp("empty.log", "")});
    CHECK(empty_file.status == 2);
    CHECK(empty_file.out.empty());
    CHECK_THAT(empty_file.err, Catch::StartsWith("logad check: error: no log records in ") &&
                                   Catch::Contains("empty.log (0 lines): nothing to check; an empty run cannot pass"));

    const auto blank_stdin = run_logad({"check", "-m", model}, "\n\n");
    CHECK(blank_stdin.status == 2);
    CHECK_THAT(blank_stdin.err, Catch::Contains("no log records in stdin (2 lines)"));
    CHECK(run_logad({"check", "-m", model}, "").status == 2);  // </dev/null
    const auto dev_null = run_logad({"check", "-m", model, "/dev/null"});
    CHECK(dev_null.status == 2);
    CHECK_THAT(dev_null.err, Catch::Contains("no log records in /dev/null (0 lines)"));

    // Five lines, 40 s of log time, against 60 s windows.
    const auto short_run = run_logad({"check", "-m", model}, first_lines(bracketed_log(300), 5));
    CHECK(short_run.status != 2);
    CHECK_THAT(short_run.err, Catch::Contains("logad check: warning: the run spans 40 s of log time, shorter than the "
                                              "model's smallest window (60 s)"));
    const auto long_run = run_logad({"check", "-m", model}, bracketed_log(300));
    CHECK(long_run.status == 0);
    CHECK(long_run.err.find("warning") == std::string::npos);
}

TEST_CASE("a session key that matches nothing is said, in train and in score", "[cli][input]") {
    const std::string log = write_temp("keys.log", bracketed_log(300));
    const auto none = run_logad({"train", "-q", "--key", "order-\\d+", "-o", temp_path("k0.json"), log});
    CHECK(none.status == 0);  // line and window models still apply
    CHECK_THAT(none.err, Catch::Contains("logad train: warning: no session key matched: --key 'order-\\d+' found nothing "
                                         "in the 300 records (300 lines)"));

    const auto only_sessions = run_logad({"train", "-q", "--per", "session", "--key", "order-\\d+", "-o", temp_path("k1.json"), log});
    CHECK(only_sessions.status == 2);
    CHECK_THAT(only_sessions.err, Catch::Contains("--key 'order-\\d+' matched none of the 300 records"));

    const std::string model = temp_path("k2.json");
    const auto keyed = run_logad({"train", "-q", "--key", "req-\\d+", "-o", model, log});
    INFO(keyed.err);
    REQUIRE(keyed.status == 0);
    CHECK(keyed.err.empty());
    const auto scored = run_logad({"score", "-q", "-m", model}, bracketed_log(300, false));
    CHECK_THAT(scored.err, Catch::Contains("logad score: warning: the model's session key 'req-\\d+' matched none of the "
                                           "300 records, so no session was scored"));
    CHECK(run_logad({"score", "-q", "-m", model}, bracketed_log(300)).err.find("warning") == std::string::npos);
}

TEST_CASE("training on few records warns, naming the minimum", "[cli][input]") {
    const auto few = run_logad({"train", "-q", "-o", temp_path("few.json")}, bracketed_log(42));
    CHECK(few.status == 0);
    CHECK_THAT(few.err, Catch::Contains("logad train: warning: only 42 records; below 100 a model is unreliable "
                                        "(with the default threshold about 1 in 43 normal lines"));
    CHECK(run_logad({"train", "-q", "-o", temp_path("enough.json")}, bracketed_log(100)).err.empty());
    // One record: no granularity can be trained, so no model is written.
    const auto one = run_logad({"train", "-q", "-o", temp_path("one.json")}, bracketed_log(1));
    CHECK(one.status == 2);
    CHECK_THAT(one.err, Catch::StartsWith("logad train: error: only 1 record in the training input: too few to learn from"));
}

TEST_CASE("a zero duration is above-zero's business, not 'not a duration'", "[cli][input]") {
    const auto zero = run_logad({"train", "-o", temp_path("w0.json"), "--window", "0s"}, bracketed_log(10));
    CHECK(zero.status == 2);
    CHECK_THAT(zero.err, Catch::StartsWith("logad train: error: --window '0s' must be above zero"));
}

TEST_CASE("a folder's subfolders are not read, and a note says how many", "[cli][input]") {
    namespace fs = std::filesystem;
    const fs::path dir = temp_path("folder-of-logs");
    fs::remove_all(dir);
    fs::create_directories(dir / "older");
    fs::create_directories(dir / "archive");
    write_temp("folder-of-logs/today.log", bracketed_log(5));
    write_temp("folder-of-logs/older/yesterday.log", bracketed_log(5));
    const auto parsed = run_logad({"parse", "-q", dir.string()});
    CHECK(parsed.status == 0);
    CHECK(std::count(parsed.out.begin(), parsed.out.end(), '\n') == 5);  // today.log only
    CHECK_THAT(parsed.err, Catch::Contains("logad parse: note: 2 subfolders not read (" + (dir / "archive").string() +
                                           ", ...); logad reads the files of a folder, not of its subfolders"));
    fs::remove(dir / "today.log");
    const auto only_folders = run_logad({"parse", "-q", dir.string()});
    CHECK(only_folders.status == 2);
    CHECK_THAT(only_folders.err, Catch::Contains("holds no log file (subfolders are not read"));
}

TEST_CASE("featurize tells a numeric table and raw logs from events, with the same classifier", "[cli][input]") {
    const auto table = run_logad({"featurize"}, "[1, 2.5]\n[3, 4]\n");
    CHECK(table.status == 2);
    CHECK_THAT(table.err, Catch::Contains("it is a numeric table, which `logad train` reads as it is"));
    const auto logs = run_logad({"featurize"}, bracketed_log(3));
    CHECK(logs.status == 2);
    CHECK_THAT(logs.err, Catch::Contains("featurize reads `logad parse` output, e.g. logad parse app.log | logad featurize"));
}

TEST_CASE("Loghub logs whose lines open with a bracket train and score (skipped without ../shared)", "[cli][input][loghub]") {
    namespace fs = std::filesystem;
    const char* env = std::getenv("LOGAD_SHARED_DATA");
    const fs::path root = fs::path(env ? env : LOGAD_SOURCE_DIR "/../shared/data") / "loghub-2k";
    if (!fs::is_directory(root)) {
        WARN("skipped: Loghub-2k not found under " << root.string() << " (set LOGAD_SHARED_DATA)");
        return;
    }
    for (const std::string name : {"Apache", "Proxifier"}) {
        const fs::path log = root / name / (name + "_2k.log");
        const std::string model = temp_path(name + "-model.json");
        const auto trained = run_logad({"train", "-q", "-o", model, log.string()});
        INFO(name << ": " << trained.err);
        CHECK(trained.status == 0);
        std::ifstream in(log);
        std::string head, line;
        for (int i = 0; i < 10 && std::getline(in, line); ++i) head += line + "\n";
        const auto scored = run_logad({"score", "-q", "-m", model}, head);  // head log | logad score -m model
        INFO(scored.err);
        CHECK(scored.status == 0);
    }
}
