// Issue 15's receivers fed by the senders people run: Debian's rsyslog (omfwd, TCP and UDP) and
// syslog-ng (network destination), and the official OpenTelemetry JavaScript SDK from npm. Each
// delivers a few thousand lines with one injected novel error to a running `logad score`, which
// must report it with the sender's host and app or service in the record; nothing is lost while
// the queue has room, and a tiny queue counts its drops. Hidden ([.integrations]): ctest runs them
// as "integrations: cli" (label integrations). A missing sender fails under CI, else warns.
#include "../oracle.hpp"
#include "process.hpp"

#include "../support/child_process.hpp"
#include "../support/loopback.hpp"
#include "../support/support.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using logad::test::LiveProcess;
using Clock = std::chrono::steady_clock;

constexpr int k_sent_lines = 3000;
constexpr int k_inject_at = 1700;
const std::string k_injected = "ledger checksum mismatch: refusing to commit batch";

// A loopback port free for both TCP and UDP at the moment of asking.
int free_receiver_port() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const int t = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(t, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(t, reinterpret_cast<sockaddr*>(&a), &len);
        const int u = ::socket(AF_INET, SOCK_DGRAM, 0);
        const bool udp_free = ::bind(u, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(t);
        ::close(u);
        if (udp_free) return ntohs(a.sin_port);
    }
    return 0;
}

std::string find_sender_program(const std::string& name, const std::vector<std::string>& also = {}) {
    std::vector<std::string> dirs = also;
    for (const char* d : {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"}) dirs.emplace_back(d);
    for (const std::string& d : dirs)
        if (::access((d + "/" + name).c_str(), X_OK) == 0) return d + "/" + name;
    return {};
}

std::string deps_dir() {
    const char* d = std::getenv("LOGAD_DEPS_DIR");
    return d && *d ? d : std::string(LOGAD_SOURCE_DIR) + "/.deps";
}

// The message of line i: normal ones share a few templates; the injected one is new.
std::string message_of(int i) {
    if (i == k_inject_at) return k_injected;
    switch (i % 3) {
    case 0: return "request " + std::to_string(i) + " served in " + std::to_string(i * 7 % 300) + " ms";
    case 1: return "cache hit for key user:" + std::to_string(i * 13 % 997);
    default: return "queue depth " + std::to_string(i % 40) + " after batch " + std::to_string(i);
    }
}

std::string train_receiver_model(const std::filesystem::path& dir, const std::string& lines, const std::vector<std::string>& flags) {
    const std::string train = (dir / "train.log").string();
    std::ofstream(train) << lines;
    const std::string model = (dir / "model.json").string();
    std::vector<std::string> args{"train", "-q", "-o", model};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(train);
    const auto r = logad::test::run_logad(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return model;
}

// The sum of a metric's samples whose line starts with `prefix` (name and labels so far).
double metric_sum(int port, const std::string& prefix) {
    httplib::Client c("127.0.0.1", port);
    const auto res = c.Get("/metrics");
    if (!res || res->status != 200) return -1;
    double sum = 0;
    std::istringstream in(res->body);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
    return sum;
}

bool wait_metric(int port, const std::string& prefix, double want, int seconds) {
    for (const auto until = Clock::now() + std::chrono::seconds(seconds); Clock::now() < until;) {
        if (metric_sum(port, prefix) >= want) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// Stops the scorer as an operator would (SIGTERM) and returns its NDJSON records.
std::vector<nlohmann::json> stop_and_read(LiveProcess& score) {
    score.send_signal(SIGTERM);
    std::vector<nlohmann::json> records;
    for (std::string line; !(line = score.read_line(10000)).empty();) records.push_back(nlohmann::json::parse(line));
    CHECK(score.wait() == 0);
    return records;
}

// The line record about the injected error, or null.
nlohmann::json injected_record(const std::vector<nlohmann::json>& records) {
    for (const auto& r : records)
        if (r.value("per", "") == "line" && r.value("message", "").find(k_injected) != std::string::npos) return r;
    return nullptr;
}

}  // namespace

TEST_CASE("rsyslog forwards over TCP (octet counted, RFC 5424) and UDP (RFC 3164) to a running logad score", "[.integrations]") {
    const std::string rsyslogd = find_sender_program("rsyslogd");
    if (rsyslogd.empty()) {
        LOGAD_ORACLE_MISSING("rsyslogd not installed (Debian package rsyslog): the rsyslog receiver test is skipped");
        return;
    }
    const std::filesystem::path dir = logad::test::private_temp("recv-rsyslog");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "work");
    std::string training;
    for (int i = 0; i < k_sent_lines; ++i) {
        if (i == k_inject_at) continue;
        training += "<134>1 2026-12-07T08:00:00.000+00:00 rsys-web-1 billing - - - " + message_of(i) + "\n";
        training += "<134>Dec  7 08:00:00 rsys-web-1 cart: " + message_of(i) + "\n";
    }
    const std::string model = train_receiver_model(dir, training, {"--format", "syslog"});

    const int tcp = free_receiver_port(), udp = free_receiver_port(), metrics = free_receiver_port();
    LiveProcess score({"score", "-m", model, "--records", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(tcp),
                       "--listen-syslog", "udp://127.0.0.1:" + std::to_string(udp), "--metrics-listen",
                       "127.0.0.1:" + std::to_string(metrics)},
                      (dir / "score.err").string());
    REQUIRE(wait_metric(metrics, "logad_receiver_messages_total", 0, 10));

    std::ofstream conf(dir / "rsyslog.conf");
    conf << "global(workDirectory=\"" << (dir / "work").string() << "\" localHostName=\"rsys-web-1\")\n"
         << "module(load=\"imfile\")\n"
         << "input(type=\"imfile\" file=\"" << (dir / "billing.log").string()
         << "\" tag=\"billing:\" facility=\"local0\" severity=\"info\" ruleset=\"to_tcp\")\n"
         << "input(type=\"imfile\" file=\"" << (dir / "cart.log").string()
         << "\" tag=\"cart:\" facility=\"local0\" severity=\"info\" ruleset=\"to_udp\")\n"
         << "ruleset(name=\"to_tcp\") { action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" << tcp
         << "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\") }\n"
         << "ruleset(name=\"to_udp\") { action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" << udp
         << "\" protocol=\"udp\" template=\"RSYSLOG_TraditionalForwardFormat\") }\n";
    conf.close();
    {
        std::ofstream billing(dir / "billing.log"), cart(dir / "cart.log");
        for (int i = 0; i < k_sent_lines; ++i) {
            billing << message_of(i) << "\n";
            if (i != k_inject_at) cart << message_of(i) << "\n";
        }
    }
    logad::test::ChildProcess rsyslog({rsyslogd, "-n", "-f", (dir / "rsyslog.conf").string(), "-i",
                                       (dir / "rsyslogd.pid").string()},
                                      dir / "rsyslogd.log");
    const bool all = wait_metric(metrics, "logad_receiver_messages_total", 2 * k_sent_lines - 1, 30);
    INFO(logad::test::read_all(dir / "rsyslogd.log"));
    const double tcp_got = metric_sum(metrics, "logad_receiver_messages_total{receiver=\"syslog tcp");
    const double udp_got = metric_sum(metrics, "logad_receiver_messages_total{receiver=\"syslog udp");
    CHECK(all);
    CHECK(tcp_got == k_sent_lines);
    CHECK(udp_got == k_sent_lines - 1);
    CHECK(metric_sum(metrics, "logad_receiver_dropped_total") == 0);
    const auto records = stop_and_read(score);
    const std::string err = logad::test::read_all(dir / "score.err");
    INFO(err);
    const nlohmann::json hit = injected_record(records);
    REQUIRE_FALSE(hit.is_null());
    CHECK(hit["fields"]["host"] == "rsys-web-1");
    CHECK(hit["fields"]["app"] == "billing");
    // SIGTERM flushed what was open: the incident of the injected error is written closed.
    bool closed = false;
    for (const auto& r : records)
        closed = closed || (r.value("per", "") == "incident" && r.value("state", "") == "closed" &&
                            r.value("template", "").find(k_injected) != std::string::npos);
    CHECK(closed);
    CHECK(err.find("syslog tcp://127.0.0.1:" + std::to_string(tcp) + ": " + std::to_string(k_sent_lines) + " messages") !=
          std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("syslog-ng's network destination delivers to a running logad score", "[.integrations]") {
    // Debian's syslog-ng conflicts with rsyslog: install-deps.sh unpacks it under .deps/syslog-ng.
    const std::string local = deps_dir() + "/syslog-ng";
    std::string binary = find_sender_program("syslog-ng", {local + "/usr/sbin"});
    if (binary.empty()) {
        LOGAD_ORACLE_MISSING("syslog-ng not found (scripts/install-deps.sh --test unpacks Debian's syslog-ng-core into "
                             ".deps/syslog-ng): the syslog-ng receiver test is skipped");
        return;
    }
    const bool unpacked = binary.rfind(local, 0) == 0;
    const std::filesystem::path dir = logad::test::private_temp("recv-syslog-ng");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string training;
    for (int i = 0; i < k_sent_lines; ++i)
        if (i != k_inject_at) training += "<134>Dec  7 08:00:00 sng-db-2 payments[77]: " + message_of(i) + "\n";
    const std::string model = train_receiver_model(dir, training, {"--format", "syslog"});

    const int port = free_receiver_port(), metrics = free_receiver_port();
    LiveProcess score({"score", "-m", model, "--records", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port),
                       "--metrics-listen", "127.0.0.1:" + std::to_string(metrics)},
                      (dir / "score.err").string());
    REQUIRE(wait_metric(metrics, "logad_receiver_messages_total", 0, 10));
    {
        std::ofstream in(dir / "payments.log");
        for (int i = 0; i < k_sent_lines; ++i) in << message_of(i) << "\n";
    }
    std::ofstream conf(dir / "syslog-ng.conf");
    conf << "@version: 3.38\n"
         << "options { use-dns(no); stats-freq(0); };\n"
         << "source s_file { file(\"" << (dir / "payments.log").string()
         << "\" flags(no-parse) program-override(\"payments\") host-override(\"sng-db-2\") follow-freq(0.1)); };\n"
         << "destination d_logad { network(\"127.0.0.1\" port(" << port << ") transport(\"tcp\")); };\n"
         << "log { source(s_file); destination(d_logad); };\n";
    conf.close();
    std::vector<std::string> args{binary, "-F", "--no-caps", "-f", (dir / "syslog-ng.conf").string(), "-R",
                                  (dir / "syslog-ng.persist").string(), "-p", (dir / "syslog-ng.pid").string(), "-c",
                                  (dir / "syslog-ng.ctl").string()};
    if (unpacked) {
        args.insert(args.begin(), {"env", "LD_LIBRARY_PATH=" + local + "/usr/lib/syslog-ng"});
        args.push_back("--module-path=" + local + "/usr/lib/syslog-ng/3.38");
    }
    logad::test::ChildProcess syslog_ng(args, dir / "syslog-ng.log");
    const bool all = wait_metric(metrics, "logad_receiver_messages_total", k_sent_lines, 30);
    INFO(logad::test::read_all(dir / "syslog-ng.log"));
    CHECK(all);
    CHECK(metric_sum(metrics, "logad_receiver_messages_total") == k_sent_lines);
    const auto records = stop_and_read(score);
    INFO(logad::test::read_all(dir / "score.err"));
    const nlohmann::json hit = injected_record(records);
    REQUIRE_FALSE(hit.is_null());
    CHECK(hit["fields"]["host"] == "sng-db-2");
    CHECK(hit["fields"]["app"] == "payments");
    std::filesystem::remove_all(dir);
}

TEST_CASE("the OpenTelemetry JavaScript SDK exports logs over OTLP/HTTP JSON to a running logad score", "[.integrations]") {
    const std::string node = find_sender_program("node");
    const std::string modules = deps_dir() + "/otel/node_modules";
    if (node.empty() || !std::filesystem::exists(modules + "/@opentelemetry/exporter-logs-otlp-http")) {
        LOGAD_ORACLE_MISSING("node or the OpenTelemetry SDK (scripts/install-deps.sh --test installs it into .deps/otel) "
                             "is missing: the OTLP receiver test is skipped");
        return;
    }
    const std::filesystem::path dir = logad::test::private_temp("recv-otel");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // Training lines of the shape the receiver writes (lib/receive/otlp_logs.hpp).
    std::string training;
    for (int i = 0; i < k_sent_lines; ++i) {
        if (i == k_inject_at) continue;
        nlohmann::ordered_json line = {{"time", "2026-12-07T08:00:00.000Z"}, {"level", "INFO"}, {"message", message_of(i)},
                                       {"service.name", "checkout"}, {"host.name", "otel-app-3"},
                                       {"otel.scope.name", "orders"}, {"order.id", i}};
        training += line.dump() + "\n";
    }
    const std::string model = train_receiver_model(dir, training, {});
    const std::string token = (dir / "token").string();
    std::ofstream(token) << "t0ken-" << ::getpid() << "\n";

    const int port = free_receiver_port(), metrics = free_receiver_port();
    LiveProcess score({"score", "-m", model, "--records", "--listen-otlp", "http://127.0.0.1:" + std::to_string(port),
                       "--otlp-token-file", token, "--metrics-listen", "127.0.0.1:" + std::to_string(metrics)},
                      (dir / "score.err").string());
    REQUIRE(wait_metric(metrics, "logad_receiver_messages_total", 0, 10));
    // The SDK's messages, one a line, are node's own: the script exits 0 once every export was acknowledged.
    const std::string send = "NODE_PATH='" + modules + "' '" + node + "' '" + LOGAD_SOURCE_DIR +
                             "/test/otel/send_logs.js' http://127.0.0.1:" + std::to_string(port) + "/v1/logs " +
                             std::to_string(k_sent_lines) + " " + std::to_string(k_inject_at) + " checkout otel-app-3 '" +
                             token + "' > '" + (dir / "node.log").string() + "' 2>&1";
    const int rc = std::system(send.c_str());
    INFO(logad::test::read_all(dir / "node.log"));
    CHECK(rc == 0);
    CHECK(wait_metric(metrics, "logad_receiver_messages_total", k_sent_lines, 20));
    CHECK(metric_sum(metrics, "logad_receiver_messages_total") == k_sent_lines);
    CHECK(metric_sum(metrics, "logad_receiver_dropped_total") == 0);
    const auto records = stop_and_read(score);
    INFO(logad::test::read_all(dir / "score.err"));
    const nlohmann::json hit = injected_record(records);
    REQUIRE_FALSE(hit.is_null());
    CHECK(hit["fields"]["service.name"] == "checkout");
    CHECK(hit["fields"]["host.name"] == "otel-app-3");

    // Without the token the SDK is refused (401), and the exporter says so.
    LiveProcess guarded({"score", "-q", "-m", model, "--listen-otlp", "http://127.0.0.1:" + std::to_string(port),
                         "--otlp-token-file", token});
    httplib::Client c("127.0.0.1", port);
    int status = 0;
    for (int i = 0; i < 100 && status == 0; ++i) {
        if (auto res = c.Post("/v1/logs", "{}", "application/json")) status = res->status;
        else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 401);
    guarded.send_signal(SIGTERM);
    CHECK(guarded.wait() == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a tiny receiver queue drops under a burst and counts every drop", "[.integrations]") {
    const std::filesystem::path dir = logad::test::private_temp("recv-tiny");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string training;
    for (int i = 0; i < k_sent_lines; ++i)
        if (i != k_inject_at) training += "<134>Dec  7 08:00:00 web-1 billing: " + message_of(i) + "\n";
    const std::string model = train_receiver_model(dir, training, {"--format", "syslog"});
    const int port = free_receiver_port(), metrics = free_receiver_port();
    LiveProcess score({"score", "-m", model, "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port),
                       "--listen-queue", "1", "--metrics-listen", "127.0.0.1:" + std::to_string(metrics)},
                      (dir / "score.err").string());
    REQUIRE(wait_metric(metrics, "logad_receiver_messages_total", 0, 10));
    constexpr int k_burst = 20000;
    std::string burst;
    for (int i = 0; i < k_burst; ++i) burst += "<134>Dec  7 08:00:00 web-1 billing: " + message_of(i % k_sent_lines) + "\n";
    const int fd = logad::test::connect_loopback(port);
    REQUIRE(fd >= 0);
    REQUIRE(logad::test::send_all(fd, burst) == burst.size());
    ::close(fd);
    REQUIRE(wait_metric(metrics, "logad_receiver_messages_total", k_burst, 20));
    const double dropped = metric_sum(metrics, "logad_receiver_dropped_total");
    CHECK(dropped > 0);
    score.send_signal(SIGTERM);
    for (std::string line; !(line = score.read_line(10000)).empty();) {
    }
    CHECK(score.wait() == 0);
    const std::string err = logad::test::read_all(dir / "score.err");
    INFO(err);
    // Every message is either scored (a line) or counted as dropped.
    std::smatch m;
    REQUIRE(std::regex_search(err, m, std::regex("logad score: (\\d+) lines,")));
    const long scored = std::stol(m[1].str());
    CHECK(scored + static_cast<long>(dropped) == k_burst);
    CHECK(err.find(std::to_string(static_cast<long>(dropped)) + " dropped (queue full") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("logad parse receives syslog and OTLP: fields from the sender, every message an event", "[cli][receive]") {
    const int tcp = free_receiver_port(), otlp = free_receiver_port();
    const std::filesystem::path dir = logad::test::private_temp("recv-parse");
    std::filesystem::create_directories(dir);
    LiveProcess parse({"parse", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(tcp), "--listen-otlp",
                       "http://127.0.0.1:" + std::to_string(otlp)},
                      (dir / "parse.err").string());
    httplib::Client c("127.0.0.1", otlp);
    int status = 0;
    const std::string request = R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":)"
                                R"({"stringValue":"checkout"}}]},"scopeLogs":[{"logRecords":[{"severityNumber":17,)"
                                R"("body":{"stringValue":"payment failed"}}]}]}]})";
    for (int i = 0; i < 100 && status == 0; ++i) {
        if (auto res = c.Post("/v1/logs", request, "application/json")) status = res->status;
        else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(status == 200);
    const int fd = logad::test::connect_loopback(tcp);
    REQUIRE(fd >= 0);
    const std::string m = "<11>1 2026-12-07T09:00:00Z web-4 billing 77 - - charge declined";
    const std::string stream = std::to_string(m.size()) + " " + m + "<14>Dec  7 09:00:01 web-5 cart[9]: item added\n";
    REQUIRE(::send(fd, stream.data(), stream.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(stream.size()));
    ::close(fd);
    std::vector<nlohmann::json> events;
    for (std::string line; events.size() < 3 && !(line = parse.read_line(10000)).empty();)
        events.push_back(nlohmann::json::parse(line));
    parse.send_signal(SIGTERM);
    CHECK(parse.wait() == 0);
    INFO(logad::test::read_all(dir / "parse.err"));
    REQUIRE(events.size() == 3);
    std::map<std::string, nlohmann::json> by_message;
    for (const auto& e : events) by_message[e["message"].get<std::string>()] = e;
    CHECK(by_message["payment failed"]["fields"]["service.name"] == "checkout");
    CHECK(by_message["payment failed"]["level"] == "error");
    CHECK(by_message["charge declined"]["fields"]["host"] == "web-4");
    CHECK(by_message["charge declined"]["fields"]["app"] == "billing");
    CHECK(by_message["charge declined"]["fields"]["procid"] == "77");
    CHECK(by_message["item added"]["fields"]["host"] == "web-5");
    CHECK(by_message["item added"]["fields"]["pid"] == "9");
    const std::string err = logad::test::read_all(dir / "parse.err");
    CHECK(err.find("syslog tcp://127.0.0.1:" + std::to_string(tcp) + ": 2 messages") != std::string::npos);
    CHECK(err.find("/v1/logs: 1 messages") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("receiver flags: files beside them, bad addresses and busy ports are usage errors", "[cli][receive]") {
    const int port = free_receiver_port();
    auto r = logad::test::run_logad({"parse", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port), "x.log"});
    CHECK(r.status == 2);
    CHECK(r.err.find("give no files") != std::string::npos);
    r = logad::test::run_logad({"parse", "--listen-syslog", "127.0.0.1:5514"});
    CHECK(r.status == 2);
    CHECK(r.err.find("logad parse: error: --listen-syslog '127.0.0.1:5514': no scheme") != std::string::npos);
    r = logad::test::run_logad({"parse", "--listen-otlp", "tcp://127.0.0.1:4318"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown scheme") != std::string::npos);
    r = logad::test::run_logad({"parse", "--otlp-token-file", "/nonexistent/token", "--listen-otlp",
                                "http://127.0.0.1:" + std::to_string(port)});
    CHECK(r.status == 2);
    CHECK(r.err.find("--otlp-token-file") != std::string::npos);
    LiveProcess holder({"parse", "-q", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port)});
    if (const int fd = logad::test::connect_loopback(port, std::chrono::seconds(5)); fd >= 0) ::close(fd);  // until it listens
    r = logad::test::run_logad({"parse", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port)});
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot listen on tcp://127.0.0.1:" + std::to_string(port)) != std::string::npos);
    holder.send_signal(SIGTERM);
    CHECK(holder.wait() == 0);
}

TEST_CASE("a stop under a constant stream of messages ends the run at once", "[cli][receive]") {
    const int port = free_receiver_port();
    const std::filesystem::path dir = logad::test::private_temp("recv-busy");
    std::filesystem::create_directories(dir);
    LiveProcess parse({"parse", "--format", "syslog", "--listen-syslog", "tcp://127.0.0.1:" + std::to_string(port)},
                      (dir / "parse.err").string());
    const int fd = logad::test::connect_loopback(port, std::chrono::seconds(5));
    REQUIRE(fd >= 0);
    std::atomic<bool> sending{true};
    std::thread sender([&] {
        std::string batch;
        for (int i = 0; i < 200; ++i) batch += "<14>Dec  7 09:00:00 web-1 app: tick " + std::to_string(i) + "\n";
        while (sending && ::send(fd, batch.data(), batch.size(), MSG_NOSIGNAL) > 0) {
        }
    });
    // Drain stdout while the stream runs, so logad never waits on a full pipe.
    for (const auto until = Clock::now() + std::chrono::milliseconds(500); Clock::now() < until;) parse.read_line(50);
    const auto stop_at = Clock::now();
    parse.send_signal(SIGTERM);
    while (!parse.read_line(5000).empty()) {
    }
    CHECK(parse.wait() == 0);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - stop_at).count();
    sending = false;
    ::shutdown(fd, SHUT_RDWR);
    sender.join();
    ::close(fd);
    CHECK(took < 5000);
    const std::string err = logad::test::read_all(dir / "parse.err");
    INFO(err);
    CHECK(err.find("logad parse: syslog tcp://127.0.0.1:" + std::to_string(port) + ": ") != std::string::npos);
    std::filesystem::remove_all(dir);
}
