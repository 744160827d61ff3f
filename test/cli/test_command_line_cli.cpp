// The command line itself (issue 11): list options leave files alone, unknown commands and
// options are named with the nearest known one, `logad help`, and the error prefix.
#include "logad/command_line.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <sstream>

namespace {

using logad::test::run_logad;
using logad::test::temp_path;
using logad::test::write_temp;

// The long names of the options of `command` that take a list: CLI11 writes "..." after their
// value type in --help. Positional arguments (files) are listed apart, under "Positionals:".
std::vector<std::string> list_options(const std::string& command) {
    const std::string help = run_logad({command, "--help"}).out;
    const auto begin = help.find("Options:");
    std::istringstream in(help.substr(begin, help.find("\n\n", begin) - begin));
    std::vector<std::string> flags;
    for (std::string line; std::getline(in, line);) {
        const auto dashes = line.find("--");
        const auto dots = line.find(" ...");
        if (dashes == std::string::npos || dots == std::string::npos || dots < dashes) continue;
        flags.push_back(line.substr(dashes, line.find_first_of(" ,", dashes) - dashes));
    }
    return flags;
}

struct Probe {
    std::vector<std::string> before;  // the command's required options and the list option's value
    std::string evidence;             // in stderr when the file argument was taken as a file; empty: its path
};

}  // namespace

TEST_CASE("every list option of every command leaves the file after it to the files", "[cli][args]") {
    const std::string log = write_temp("args.log", logad::test::example_log(0, 300));
    const std::string model = temp_path("args-model.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, log}).status == 0);
    const std::string labels = write_temp("args-labels.csv", "line,label\n1,0\n");
    const std::string events = write_temp("args-events.ndjson", run_logad({"parse", "-q", log}).out);
    // A file that does not exist: the error naming it shows it was opened as an input.
    const std::string missing = temp_path("no-such-input.log");

    // One row per list option; a new one fails below until it has a row.
    const std::map<std::string, Probe> probes = {
        {"train --per", {{"-o", temp_path("a.json"), "--per", "line"}, {}}},
        {"train --param", {{"-o", temp_path("a.json"), "--param", "trees=10"}, {}}},
        {"train --mask", {{"-o", temp_path("a.json"), "--mask", "order=ORD-\\d+"}, {}}},
        {"parse --mask", {{"--mask", "order=ORD-\\d+"}, {}}},
        {"check --ignore", {{"-m", model, "--ignore", "12345"}, {}}},
        {"report --events", {{"-o", temp_path("r.html"), "--events", events}, {}}},
        {"score --kafka-option", {{"-m", model, "--kafka-brokers", "127.0.0.1:9", "--kafka-topic", "logs", "--kafka-option",
                                   "socket.timeout.ms=100"},
                                  "--kafka-topic is the input: give no files with it"}},
        {"score --kafka-option-file", {{"-m", model, "--kafka-brokers", "127.0.0.1:9", "--kafka-topic", "logs",
                                        "--kafka-option-file", write_temp("args-kafka.properties", "socket.timeout.ms=100\n")},
                                       "--kafka-topic is the input: give no files with it"}},
        // Receivers are the input: a file after them is refused, not swallowed as an address.
        {"score --listen-syslog", {{"-m", model, "--listen-syslog", "tcp://127.0.0.1:0"}, "are the input: give no files"}},
        {"score --listen-otlp", {{"-m", model, "--listen-otlp", "http://127.0.0.1:0"}, "are the input: give no files"}},
        {"parse --listen-syslog", {{"--listen-syslog", "udp://127.0.0.1:0"}, "are the input: give no files"}},
        {"parse --listen-otlp", {{"--listen-otlp", "http://127.0.0.1:0"}, "are the input: give no files"}},
        // feedback takes no files: what follows is refused, not taken as a second target.
        {"feedback --normal", {{"-m", model, "--normal", "12345"}, "unexpected argument '" + missing + "'"}},
        {"feedback --anomaly", {{"-m", model, "--anomaly", "12345"}, "unexpected argument '" + missing + "'"}},
        {"feedback --remove", {{"-m", model, "--remove", "1"}, "unexpected argument '" + missing + "'"}},
    };
    std::size_t probed = 0;
    for (const std::string& command : logad::test::subcommands()) {
        for (const std::string& flag : list_options(command)) {
            const auto probe = probes.find(command + " " + flag);
            INFO(command << " " << flag);
            if (probe == probes.end()) {
                FAIL_CHECK("no probe for this list option: add a row to the table above");
                continue;
            }
            std::vector<std::string> args{command};
            args.insert(args.end(), probe->second.before.begin(), probe->second.before.end());
            args.push_back(missing);
            const auto r = run_logad(args);
            INFO(r.err);
            CHECK(r.status == 2);
            CHECK_THAT(r.err, Catch::StartsWith("logad " + command + ": error: ") &&
                                  Catch::Contains(probe->second.evidence.empty() ? missing : probe->second.evidence));
            ++probed;
        }
    }
    CHECK(probed == probes.size());  // every row still names a list option
}

TEST_CASE("the repros of list options swallowing files now work", "[cli][args]") {
    const std::string log = write_temp("args2.log", logad::test::example_log(0, 300));
    const std::string model = temp_path("args2-model.json");
    const auto trained = run_logad({"train", "-q", "-o", model, "--per", "line", log});
    INFO(trained.err);
    CHECK(trained.status == 0);
    // Several values: once per occurrence, or comma-separated where documented.
    CHECK(run_logad({"train", "-q", "-o", temp_path("args2b.json"), "--per", "line", "--per", "window", log}).status == 0);
    CHECK(run_logad({"train", "-q", "-o", temp_path("args2c.json"), "--per", "line,window", log}).status == 0);

    const std::string scores = write_temp("args2-scores.ndjson", run_logad({"score", "-q", "--all", "-m", model, log}).out);
    const std::string events = write_temp("args2-events.ndjson", run_logad({"parse", "-q", log}).out);
    const std::string html = temp_path("args2.html");
    const auto report = run_logad({"report", "-o", html, "--events", events, scores});
    CHECK(report.status == 0);
    CHECK_THAT(report.err, Catch::Contains("logad report: 0 incidents, 300 records, 0 anomalies, 300 events"));
}

TEST_CASE("unknown commands and options are named, with the nearest known one", "[cli][args]") {
    const auto unknown = run_logad({"frobnicate"});
    CHECK(unknown.status == 2);
    CHECK_THAT(unknown.err, Catch::StartsWith("logad: error: unknown command 'frobnicate'\ncommands: parse, templates,") &&
                                Catch::Contains("check, eval, report"));
    CHECK_THAT(run_logad({"tarin", "-o", "m.json"}).err, Catch::StartsWith("logad: error: unknown command 'tarin'; did you mean train?"));

    const auto none = run_logad({});
    CHECK(none.status == 2);
    CHECK_THAT(none.err, Catch::StartsWith("logad: error: no command given\ncommands: parse,"));

    const auto v = run_logad({"-v"});
    CHECK(v.status == 2);
    CHECK_THAT(v.err, Catch::StartsWith("logad: error: unknown option -v; did you mean --version? (and no command given)"));

    const auto flag = run_logad({"score", "--fail-on-anomalies", "-m", "m.json", "x.log"});
    CHECK(flag.status == 2);
    CHECK_THAT(flag.err, Catch::StartsWith("logad score: error: unknown option --fail-on-anomalies; did you mean "
                                           "--fail-on-anomaly?\nrun `logad score --help` for the options"));
    // A misspelt required option is named before the one it leaves missing.
    CHECK_THAT(run_logad({"score", "--modle", "m.json", "x.log"}).err,
               Catch::StartsWith("logad score: error: unknown option --modle; did you mean --model?"));
    // Every parse error carries the command's prefix.
    const auto bad_value = run_logad({"train", "-o", "m.json", "--per", "hourly", "x.log"});
    CHECK(bad_value.status == 2);
    CHECK_THAT(bad_value.err, Catch::StartsWith("logad train: error: --per: hourly not in {line,window,session}"));
    CHECK_THAT(run_logad({"score", "x.log"}).err, Catch::StartsWith("logad score: error: --model is required"));
}

TEST_CASE("logad help and logad help CMD print help", "[cli][args]") {
    const auto overview = run_logad({"help"});
    CHECK(overview.status == 0);
    CHECK(overview.out == run_logad({"--help"}).out);
    const auto train = run_logad({"help", "train"});
    CHECK(train.status == 0);
    CHECK(train.out == run_logad({"train", "--help"}).out);
    const auto unknown = run_logad({"help", "trian"});
    CHECK(unknown.status == 2);
    CHECK_THAT(unknown.err, Catch::StartsWith("logad: error: no command 'trian' to help with; did you mean train?"));
}

TEST_CASE("nearest known word: typos and unambiguous beginnings", "[cli][args]") {
    using logad::cli::nearest;
    CHECK(nearest("--fail-on-anomalies", {"--fail-on-anomaly", "--all", "--model"}) == "--fail-on-anomaly");
    CHECK(nearest("tarin", {"train", "score", "parse"}) == "train");
    CHECK(nearest("-v", {"--version", "--help", "-h", "--color"}) == "--version");
    CHECK(nearest("frobnicate", {"train", "score", "parse", "feedback"}).empty());
    CHECK(nearest("--m", {"--model", "--max-anomalies"}).empty());  // two options start so
    CHECK(nearest("-x", {"-m", "-o"}).empty());                      // one letter is no evidence
}

TEST_CASE("templates lists what a log model learned", "[cli][args]") {
    const std::string log = write_temp("templates-model.log", logad::test::example_log(0, 300));
    const std::string model = temp_path("templates-model.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, log}).status == 0);
    const std::string state = temp_path("templates-model.state");
    REQUIRE(run_logad({"parse", "-q", "--state", state, log}).status == 0);
    const auto from_model = run_logad({"templates", "--model", model});
    CHECK(from_model.status == 0);
    CHECK(from_model.out == run_logad({"templates", "--state", state}).out);  // same lines, same miner
    CHECK_FALSE(from_model.out.empty());
    CHECK(run_logad({"templates", "--state", model}).out == from_model.out);  // a model named as a state is read too
    CHECK(run_logad({"templates", model}).out == from_model.out);             // or named alone
    CHECK(run_logad({"templates", state}).out == from_model.out);
    const auto neither = run_logad({"templates"});
    CHECK(neither.status == 2);
    CHECK_THAT(neither.err, Catch::StartsWith("logad templates: error: give one file"));
    CHECK(run_logad({"templates", model, "--state", state}).status == 2);  // two: which one?
}

TEST_CASE("check --report names the report format - --format still works for one release, with a warning",
          "[cli][args][check]") {
    const std::string log = write_temp("report-flag.log", logad::test::example_log(0, 300));
    const std::string model = temp_path("report-flag.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, log}).status == 0);
    const auto junit = run_logad({"check", "-m", model, "--report", "junit", log});
    CHECK(junit.status == 0);
    CHECK_THAT(junit.out, Catch::StartsWith("<?xml"));
    CHECK(junit.err.empty());
    const auto old = run_logad({"check", "-m", model, "--format", "junit", log});
    CHECK(old.out == junit.out);
    CHECK_THAT(old.err, Catch::StartsWith("logad check: warning: --format is deprecated and will be removed in logad 0.2; "
                                          "write --report junit"));
    const auto log_format = run_logad({"check", "-m", model, "--format", "json", log});
    CHECK(log_format.status == 2);
    CHECK_THAT(log_format.err, Catch::Contains("check takes the log format from the model"));
    CHECK(run_logad({"check", "--help"}).out.find("--format") == std::string::npos);  // hidden
}
