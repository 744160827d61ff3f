#include "../oracle.hpp"
#include <logad/error.hpp>
#include <logad/ops/metrics.hpp>
#include <logad/ops/metrics_server.hpp>
#include <logad/ops/monitor.hpp>

#include <catch2/catch.hpp>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "../support/support.hpp"

using namespace logad::ops;
namespace fs = std::filesystem;

namespace {

bool have_program(const char* name) {
    return std::system(("command -v " + std::string(name) + " >/dev/null 2>&1").c_str()) == 0;
}

logad::pipeline::ScoreRecord record(const std::string& per, const std::string& detector, double score, double threshold,
                                    std::uint32_t template_id = 0) {
    logad::pipeline::ScoreRecord r;
    r.per = per;
    r.detector = detector;
    r.score = score;
    r.threshold = threshold;
    r.anomaly = score > threshold;
    r.template_id = template_id;
    r.first_line = r.last_line = 7;
    r.message = "ERROR disk full on /dev/sda1";
    r.reasons = {"a template never seen in training"};
    return r;
}

}  // namespace

TEST_CASE("a registry renders counters, gauges and histograms in the Prometheus text format", "[ops]") {
    Registry reg;
    reg.counter("demo_requests_total", "Requests served.").add(3);
    reg.counter("demo_errors_total", "Errors by kind.", {{"kind", "say \"hi\"\\\n"}}).add();
    reg.gauge("demo_temperature_celsius", "Temperature.").set(21.5);
    auto& h = reg.histogram("demo_latency_seconds", "Latency.", {0.1, 1}, {{"path", "/x"}});
    h.observe(0.05);
    h.observe(0.1);  // a value equal to a bound belongs to it (le)
    h.observe(7);
    const std::string expected =
        "# HELP demo_requests_total Requests served.\n"
        "# TYPE demo_requests_total counter\n"
        "demo_requests_total 3\n"
        "# HELP demo_errors_total Errors by kind.\n"
        "# TYPE demo_errors_total counter\n"
        "demo_errors_total{kind=\"say \\\"hi\\\"\\\\\\n\"} 1\n"
        "# HELP demo_temperature_celsius Temperature.\n"
        "# TYPE demo_temperature_celsius gauge\n"
        "demo_temperature_celsius 21.5\n"
        "# HELP demo_latency_seconds Latency.\n"
        "# TYPE demo_latency_seconds histogram\n"
        "demo_latency_seconds_bucket{path=\"/x\",le=\"0.1\"} 2\n"
        "demo_latency_seconds_bucket{path=\"/x\",le=\"1\"} 2\n"
        "demo_latency_seconds_bucket{path=\"/x\",le=\"+Inf\"} 3\n"
        "demo_latency_seconds_sum{path=\"/x\"} 7.15\n"
        "demo_latency_seconds_count{path=\"/x\"} 3\n";
    CHECK(reg.render() == expected);
}

TEST_CASE("a counter raised to a total never moves backwards", "[ops]") {
    Counter c;
    c.raise_to(10);
    c.raise_to(4);
    CHECK(c.value() == 10);
    c.add(2);
    CHECK(c.value() == 12);
}

TEST_CASE("the same metric name cannot be two types", "[ops]") {
    Registry reg;
    reg.counter("x_total", "x");
    CHECK_THROWS_AS(reg.gauge("x_total", "x"), logad::UsageError);
}

TEST_CASE("concurrent updates and scrapes lose no increment", "[ops]") {
    Registry reg;
    auto& c = reg.counter("hits_total", "Hits.");
    std::thread writer([&] {
        for (int i = 0; i < 200000; ++i) {
            c.add();
            if (i % 1000 == 0) reg.counter("by_total", "By key.", {{"k", std::to_string(i % 7)}}).add();
        }
    });
    for (int i = 0; i < 200; ++i) CHECK(reg.render().find("# TYPE hits_total counter") != std::string::npos);
    writer.join();
    CHECK(c.value() == 200000);
}

TEST_CASE("the monitor's metrics follow what the scorer reports", "[ops]") {
    MonitorOptions o;
    o.model_templates = 12;
    Monitor m(o);
    m.on_record(record("line", "signal:new_template", 3, 1, 41));
    m.on_record(record("line", "signal:new_template", 3, 1, 41));  // the same new template again
    m.on_record(record("window", "iforest", 0.55, 0.5));
    ScoreProgress p;
    p.lines = 100;
    p.events = 90;
    p.unparsed = 4;
    p.truncated = 1;
    p.last_event_ms = 1700000000000;
    m.on_progress(p);
    const std::string text = m.registry().render();
    CHECK(text.find("logad_lines_total 100\n") != std::string::npos);
    CHECK(text.find("logad_events_total 90\n") != std::string::npos);
    CHECK(text.find("logad_parse_failures_total{reason=\"unparsed\"} 4\n") != std::string::npos);
    CHECK(text.find("logad_parse_failures_total{reason=\"truncated\"} 1\n") != std::string::npos);
    CHECK(text.find("logad_anomalies_total{per=\"line\",detector=\"signal:new_template\"} 2\n") != std::string::npos);
    CHECK(text.find("logad_anomalies_total{per=\"window\",detector=\"iforest\"} 1\n") != std::string::npos);
    CHECK(text.find("logad_templates 13\n") != std::string::npos);  // 12 + one new
    CHECK(text.find("logad_last_event_timestamp_seconds 1700000000\n") != std::string::npos);
    CHECK(text.find("logad_lag_seconds ") != std::string::npos);
    CHECK(text.find("logad_build_info{version=\"") != std::string::npos);
    // 0.55 / 0.5 = 1.1 falls in le="1.1" but not le="1"; 3 / 1 twice in le="3".
    CHECK(text.find("logad_score_bucket{per=\"window\",le=\"1\"} 0\n") != std::string::npos);
    CHECK(text.find("logad_score_bucket{per=\"window\",le=\"1.1\"} 1\n") != std::string::npos);
    CHECK(text.find("logad_score_bucket{per=\"line\",le=\"2\"} 0\n") != std::string::npos);
    CHECK(text.find("logad_score_bucket{per=\"line\",le=\"3\"} 2\n") != std::string::npos);
}

TEST_CASE("lag is absent until an event time is known", "[ops]") {
    Monitor m(MonitorOptions{});
    const std::string text = m.registry().render();
    CHECK(text.find("# TYPE logad_lag_seconds gauge") != std::string::npos);
    CHECK(text.find("\nlogad_lag_seconds ") == std::string::npos);
}

TEST_CASE("the listener serves /metrics on the port it bound", "[ops]") {
    MetricsServer server({"127.0.0.1", 0}, [] { return std::string("up 1\n"); });
    REQUIRE(server.port() > 0);
    httplib::Client client("127.0.0.1", server.port());
    const auto res = client.Get("/metrics");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "up 1\n");
    CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(client.Get("/nothing")->status == 404);
}

TEST_CASE("a port already in use is a usage error naming the flag", "[ops]") {
    MetricsServer first({"127.0.0.1", 0}, [] { return std::string(); });
    try {
        MetricsServer second({"127.0.0.1", first.port()}, [] { return std::string(); });
        FAIL("bound twice");
    } catch (const logad::UsageError& e) {
        CHECK(std::string(e.what()).find("--metrics-listen") != std::string::npos);
    }
}

TEST_CASE("the metrics file is written atomically and holds the final counts", "[ops]") {
    const fs::path dir = fs::temp_directory_path() / ("logad-ops-textfile-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    MonitorOptions o;
    o.metrics_file = (dir / "logad.prom").string();
    Monitor m(o);
    CHECK(fs::exists(o.metrics_file));  // written at start, so a bad path fails early
    ScoreProgress p;
    p.lines = 5;
    m.finish(p);
    CHECK(logad::test::read_all(o.metrics_file).find("logad_lines_total 5\n") != std::string::npos);
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
    MonitorOptions bad;
    bad.metrics_file = "/nonexistent-dir/logad.prom";
    CHECK_THROWS_AS(Monitor(bad), logad::OutputError);
}

TEST_CASE("a metrics file that cannot be written is a counted warning, off the scoring thread", "[ops][reliability]") {
    const fs::path dir = fs::temp_directory_path() / ("logad-ops-textfile-fail-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    MonitorOptions o;
    o.metrics_file = (dir / "logad.prom").string();
    o.metrics_file_interval_ms = 20;
    auto monitor = std::make_unique<Monitor>(o);
    Monitor& m = *monitor;
    // The path becomes a directory: every later rename onto it fails (as a full disk would).
    fs::remove(o.metrics_file);
    fs::create_directories(o.metrics_file);
    ScoreProgress p;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        p.lines = static_cast<std::uint64_t>(i);
        m.on_progress(p);  // never throws, never writes: the file has its own thread
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    m.finish(p);  // the last write fails too: still no exception
    const std::string text = m.registry().render();
    const auto at = text.find("\nlogad_metrics_file_failures_total ");
    REQUIRE(at != std::string::npos);
    CHECK(std::stoi(text.substr(at + 35)) >= 3);
    const auto warnings = m.take_warnings();
    REQUIRE(warnings.size() == 1);  // one a minute at most
    CHECK(warnings[0].find("metrics file") != std::string::npos);
    CHECK(warnings[0].find("scoring goes on") != std::string::npos);
    monitor.reset();  // joins the file's thread, which may still be writing into `dir`
    fs::remove_all(dir);
}

TEST_CASE("promtool accepts the exposition", "[ops][promtool]") {
    if (!have_program("promtool")) {
        LOGAD_ORACLE_MISSING("promtool not installed (Debian package prometheus)");
        return;
    }
    MonitorOptions o;
    o.model_templates = 3;
    Monitor m(o);
    m.on_record(record("line", "signal:new_template", 3, 1, 4));
    m.on_record(record("session", "ocsvm", 0.2, 0.1));
    ScoreProgress p;
    p.lines = 10;
    p.events = 10;
    p.last_event_ms = 1700000000000;
    m.on_progress(p);
    const fs::path file = fs::temp_directory_path() / ("logad-ops-promtool-" + std::to_string(::getpid()) + ".prom");
    std::ofstream(file) << m.registry().render();
    const std::string cmd = "promtool check metrics < " + file.string() + " > " + file.string() + ".out 2>&1";
    const int rc = std::system(cmd.c_str());
    INFO(logad::test::read_all(file.string() + ".out"));
    CHECK(rc == 0);
    CHECK(logad::test::read_all(file.string() + ".out").empty());  // no lint complaints either
}
