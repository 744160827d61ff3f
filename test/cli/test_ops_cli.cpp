// `logad score` with metrics and alerts, end to end: the real binary, a real HTTP receiver on
// 127.0.0.1 that records what arrives, promtool, and the /metrics listener of a live scorer.
#include "../oracle.hpp"
#include "process.hpp"

// The loopback receiver of the ops tests, compiled into this binary too.
#include "../ops/receiver.cpp"
#include "../ops/receiver.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/child_process.hpp"
#include "../support/support.hpp"

using logad::test::LiveProcess;
using logad::test::Receiver;
using logad::test::run_logad;
using Clock = std::chrono::steady_clock;

namespace {

// A model trained on the example's first 1000 lines, and new logs: the rest of the example with
// one unseen error repeated five times (one alert, the rest within the cool-down) and another
// unseen error once.
struct Fixture {
    std::string model = logad::test::temp_path("ops-model.json");
    std::string logs;
    std::size_t lines = 0;
    Fixture() {
        const auto all = logad::test::example_lines();
        std::string train, score;
        for (std::size_t i = 0; i < all.size(); ++i) (i < 1000 ? train : score) += all[i] + "\n";
        for (int i = 0; i < 5; ++i)
            score += "2026-11-20 10:59:5" + std::to_string(i) +
                     ".000 ERROR [worker-1] DiskMonitor: Volume /dev/sdb" + std::to_string(i) + " went read-only after I/O error\n";
        score += "2026-11-20 10:59:59.000 ERROR [worker-2] Kernel: Out of memory: killed process 4242 (java)\n";
        lines = all.size() - 1000 + 6;
        logs = logad::test::write_temp("ops-score.log", score);
        const auto r = run_logad({"train", "-q", "--seed", "5", "-o", model, logad::test::write_temp("ops-train.log", train)});
        REQUIRE(r.status == 0);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

bool have_program(const char* name) {
    return std::system(("command -v " + std::string(name) + " >/dev/null 2>&1").c_str()) == 0;
}

std::string all_sections(const std::vector<logad::test::Received>& got) {
    std::string s;
    for (const auto& r : got) {
        const auto j = nlohmann::json::parse(r.body);
        for (const auto& b : j.at("blocks"))
            if (b.at("type") == "section") s += b.at("text").at("text").get<std::string>() + "\n";
    }
    return s;
}

}  // namespace

TEST_CASE("score --alert-webhook posts Slack messages with reasons and lines, each template once", "[cli][ops]") {
    const Fixture& f = fixture();
    Receiver rx;
    const std::string url = rx.url("/services/T0SECRET/B0SECRET/xoxbSECRETTOKEN");
    const auto r = run_logad({"score", "-m", f.model, "--alert-webhook", url, f.logs});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto got = rx.received();
    REQUIRE(!got.empty());
    for (const auto& g : got) {
        CHECK(g.path == "/services/T0SECRET/B0SECRET/xoxbSECRETTOKEN");
        const auto j = nlohmann::json::parse(g.body);
        CHECK(j.at("text").get<std::string>().rfind("logad: ", 0) == 0);
        CHECK(j.at("blocks").is_array());
    }
    const std::string sections = all_sections(got);
    CHECK(logad::test::occurrences(sections, "Volume /dev/sdb") == 1);  // 5 lines of one new template: 1 alert
    CHECK(sections.find("Out of memory: killed process 4242") != std::string::npos);
    CHECK(sections.find("never seen") != std::string::npos);  // the reason in words
    CHECK(r.err.find("repeats within the cool-down") != std::string::npos);
    CHECK(r.err.find("SECRET") == std::string::npos);
}

TEST_CASE("score retries a webhook that answered 500", "[cli][ops]") {
    const Fixture& f = fixture();
    Receiver rx({500});
    const auto r = run_logad({"score", "-m", f.model, "--alert-webhook", rx.url("/hook/abcSECRETdef"), f.logs});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto got = rx.received();
    REQUIRE(got.size() >= 2);
    CHECK(got[0].body == got[1].body);  // the refused message came again
    CHECK(r.err.find("HTTP 500") != std::string::npos);
    CHECK(r.err.find("http://127.0.0.1:" + std::to_string(rx.port()) + "/***") != std::string::npos);
    CHECK(r.err.find("abcSECRETdef") == std::string::npos);
}

TEST_CASE("scoring goes on and ends promptly while the alert receiver is down", "[cli][ops]") {
    const Fixture& f = fixture();
    const auto plain = run_logad({"score", "-q", "-m", f.model, f.logs});
    REQUIRE(plain.status == 0);
    const std::string url = "http://bot:pa55w0rdSECRET@127.0.0.1:" + std::to_string(logad::test::closed_port()) +
                            "/services/T1/B2/tokenSECRET?sig=sigSECRET";
    const auto t0 = Clock::now();
    const auto r = run_logad({"score", "-m", f.model, "--alert-webhook", url, "--alertmanager", url, f.logs});
    const auto secs = std::chrono::duration<double>(Clock::now() - t0).count();
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out == plain.out);  // the same records, alerts or not
    CHECK(secs < 10);           // at most the 3 s drain on top of scoring
    CHECK(r.err.find("warning: alerts to http://127.0.0.1:") != std::string::npos);
    CHECK(r.err.find("undeliverable") != std::string::npos);
    CHECK(r.err.find("SECRET") == std::string::npos);
}

TEST_CASE("score --alertmanager posts an array of labelled alerts to /api/v2/alerts", "[cli][ops]") {
    const Fixture& f = fixture();
    Receiver rx;
    const auto r = run_logad({"score", "-q", "-m", f.model, "--alertmanager", rx.url(""), f.logs});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto got = rx.received();
    REQUIRE(!got.empty());
    CHECK(got[0].path == "/api/v2/alerts");
    // Alerts go out in batches as incidents open and close; a slow (sanitized) run spreads them
    // over more posts, so every post is read. One alert (by its labels) is about the read-only disk.
    std::set<std::string> read_only;
    for (const auto& post : got) {
        const auto j = nlohmann::json::parse(post.body);
        REQUIRE(j.is_array());
        REQUIRE(!j.empty());
        for (const auto& a : j) {
            CHECK(a.at("labels").at("alertname") == "LogadAnomaly");
            CHECK(a.at("labels").contains("detector"));
            CHECK(a.contains("startsAt"));
            CHECK(a.contains("endsAt"));
            if (a.at("annotations").value("example", "").find("went read-only") != std::string::npos)
                read_only.insert(a.at("labels").dump());
        }
    }
    CHECK(read_only.size() == 1);
}

namespace {

// Alertmanager's alerts whose labels are logad's, as its API lists them (it leaves out resolved
// ones); a JSON null when the API did not answer.
nlohmann::json alertmanager_alerts(httplib::Client& api) {
    auto res = api.Get("/api/v2/alerts");
    if (!res || res->status != 200) return nullptr;
    const auto all = nlohmann::json::parse(res->body, nullptr, false);
    if (!all.is_array()) return nullptr;
    nlohmann::json mine = nlohmann::json::array();
    for (const auto& a : all)
        if (a.contains("labels") && a["labels"].value("alertname", "") == "LogadAnomaly") mine.push_back(a);
    return mine;
}

// The first alert whose example annotation holds `text`, or null.
nlohmann::json alert_with_example(const nlohmann::json& alerts, const std::string& text) {
    if (alerts.is_array())
        for (const auto& a : alerts)
            if (a["annotations"].value("example", "").find(text) != std::string::npos) return a;
    return nullptr;
}

}  // namespace

TEST_CASE("a real Alertmanager shows an incident's alert active while it is open and resolved when it closes", "[cli][ops][alertmanager]") {
    if (!have_program("prometheus-alertmanager")) {
        LOGAD_ORACLE_MISSING("prometheus-alertmanager not installed (Debian package prometheus-alertmanager): the Alertmanager test");
        return;
    }
    const Fixture& f = fixture();
    const std::filesystem::path dir = logad::test::temp_path("alertmanager");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "data");
    std::ofstream(dir / "alertmanager.yml") << "route:\n  receiver: discard\nreceivers:\n  - name: discard\n";
    const int port = logad::test::closed_port();
    logad::test::ChildProcess alertmanager({"prometheus-alertmanager", "--config.file=" + (dir / "alertmanager.yml").string(),
                                            "--storage.path=" + (dir / "data").string(),
                                            "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                            "--cluster.listen-address="},  // no clustering: one instance, no gossip port
                                           dir / "alertmanager.log");
    REQUIRE(alertmanager.started());
    httplib::Client api("127.0.0.1", port);
    api.set_connection_timeout(1, 0);
    api.set_read_timeout(2, 0);
    bool ready = false;
    for (auto until = Clock::now() + std::chrono::seconds(20); !ready && Clock::now() < until;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        auto res = api.Get("/-/ready");
        ready = res && res->status == 200;
    }
    INFO(logad::test::read_all(dir / "alertmanager.log"));
    REQUIRE(ready);

    // A live scorer on stdin: normal lines, then one unseen error opens an incident that stays
    // open (a gap of a minute of event time) while we read Alertmanager.
    LiveProcess score({"score", "-q", "-m", f.model, "--incident-gap", "1m", "--alertmanager",
                       "http://127.0.0.1:" + std::to_string(port)});
    const auto lines = logad::test::example_lines();
    std::string head;
    for (std::size_t i = 1000; i < 1100; ++i) head += lines[i] + "\n";
    const std::string stamp = lines[1100].substr(0, 23);  // "2026-11-20 09:08:..."
    score.write(head + stamp + " ERROR [worker-1] DiskMonitor: Volume /dev/sdq went read-only after I/O error\n");
    nlohmann::json open;
    for (auto until = Clock::now() + std::chrono::seconds(15); open.is_null() && Clock::now() < until;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        open = alert_with_example(alertmanager_alerts(api), "went read-only");
    }
    INFO(open.dump());
    REQUIRE(!open.is_null());
    CHECK(open["status"]["state"] == "active");
    CHECK(open["labels"]["per"] == "incident");
    CHECK(open["labels"]["severity"] == "warning");
    CHECK(open["labels"].contains("detector"));
    CHECK(open["annotations"].contains("summary"));
    CHECK(open["annotations"].contains("description"));
    CHECK(open["endsAt"].get<std::string>() > open["startsAt"].get<std::string>());

    // The rest of the log runs five minutes on in event time: the incident closes (quiet for
    // the gap), logad posts the alert resolved, and Alertmanager no longer lists it as active.
    std::string rest;
    for (std::size_t i = 1100; i < lines.size(); ++i) rest += lines[i] + "\n";
    score.write(rest);
    nlohmann::json still = open;
    for (auto until = Clock::now() + std::chrono::seconds(15); !still.is_null() && Clock::now() < until;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto alerts = alertmanager_alerts(api);
        if (alerts.is_array()) still = alert_with_example(alerts, "went read-only");
    }
    CHECK(still.is_null());
    score.close_input();
    CHECK(score.wait() == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a live scorer serves /metrics that promtool accepts, and writes the textfile", "[cli][ops]") {
    const Fixture& f = fixture();
    const int port = logad::test::closed_port();
    const std::string prom = logad::test::temp_path("ops-live.prom");
    std::filesystem::remove(prom);
    LiveProcess score({"score", "-q", "-m", f.model, "--metrics-listen", "127.0.0.1:" + std::to_string(port),
                       "--metrics-file", prom});
    const std::string logs = logad::test::read_all(f.logs);
    score.write(logs);
    httplib::Client client("127.0.0.1", port);
    std::string body;
    const std::string want = "logad_lines_total " + std::to_string(f.lines) + "\n";
    for (auto until = Clock::now() + std::chrono::seconds(10); Clock::now() < until;) {
        if (auto res = client.Get("/metrics"); res && res->status == 200) {
            body = res->body;
            if (body.find(want) != std::string::npos) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    INFO(body);
    CHECK(body.find(want) != std::string::npos);  // while it still runs
    CHECK(body.find("logad_anomalies_total{per=\"line\",detector=\"signal:new_template\"}") != std::string::npos);
    CHECK(body.find("logad_lag_seconds ") != std::string::npos);
    CHECK(body.find("logad_build_info{version=") != std::string::npos);
    if (have_program("promtool")) {
        const std::string file = logad::test::write_temp("ops-scrape.prom", body);
        CHECK(std::system(("promtool check metrics < " + file + " >/dev/null 2>&1").c_str()) == 0);
    } else {
        LOGAD_ORACLE_MISSING("promtool not installed (Debian package prometheus): the scrape is not checked");
    }
    score.close_input();
    CHECK(score.wait() == 0);
    CHECK(logad::test::read_all(prom).find(want) != std::string::npos);
}

TEST_CASE("bad metrics and alert flags are usage errors", "[cli][ops]") {
    const Fixture& f = fixture();
    auto r = run_logad({"score", "-m", f.model, "--metrics-listen", "localhost:http", f.logs});
    CHECK(r.status == 2);
    CHECK(r.err.find("--metrics-listen") != std::string::npos);
    r = run_logad({"score", "-m", f.model, "--alert-webhook", "hooks.example.org/services/tokenSECRET", f.logs});
    CHECK(r.status == 2);
    CHECK(r.err.find("--alert-webhook") != std::string::npos);
    CHECK(r.err.find("SECRET") == std::string::npos);
    r = run_logad({"score", "-m", f.model, "--alert-cooldown", "soon", f.logs});
    CHECK(r.status == 2);
    r = run_logad({"score", "-m", f.model, "--metrics-file", "/nonexistent-dir/x.prom", f.logs});
    CHECK(r.status == 2);
}

TEST_CASE("the webhook URL can come from a file or LOGAD_ALERT_WEBHOOK, out of argv", "[cli][ops][reliability]") {
    const Fixture& f = fixture();
    {
        Receiver rx;
        const std::string file = logad::test::write_temp("ops-webhook-url", "  " + rx.url("/hook/FILESECRET") + "  \n# ignored\n");
        const auto r = run_logad({"score", "-q", "-m", f.model, "--alert-webhook-file", file, f.logs});
        INFO(r.err);
        REQUIRE(r.status == 0);
        REQUIRE(!rx.received().empty());
        CHECK(rx.received().front().path == "/hook/FILESECRET");
    }
    {
        Receiver rx;
        ::setenv("LOGAD_ALERT_WEBHOOK", rx.url("/hook/ENVSECRET").c_str(), 1);
        const auto r = run_logad({"score", "-q", "-m", f.model, f.logs});
        ::unsetenv("LOGAD_ALERT_WEBHOOK");
        REQUIRE(r.status == 0);
        REQUIRE(!rx.received().empty());
        CHECK(rx.received().front().path == "/hook/ENVSECRET");
    }
    const auto empty = run_logad({"score", "-q", "-m", f.model, "--alert-webhook-file", logad::test::write_temp("ops-empty", "\n"), f.logs});
    CHECK(empty.status == 2);
    CHECK(empty.err.find("--alert-webhook-file") != std::string::npos);
    const auto both = run_logad({"score", "-q", "-m", f.model, "--alert-webhook", "http://127.0.0.1:1/x", "--alert-webhook-file",
                                 logad::test::write_temp("ops-url2", "http://127.0.0.1:1/y\n"), f.logs});
    CHECK(both.status == 2);
}

TEST_CASE("Kafka properties can come from a file, and a line that is not KEY=VALUE is named", "[cli][kafka][reliability]") {
    const Fixture& f = fixture();
    const std::string bad = logad::test::write_temp("kafka-props-bad", "# SASL\nsecurity.protocol=PLAINTEXT\nsasl.password\n");
    const auto r = run_logad({"score", "-q", "-m", f.model, "--kafka-brokers", "127.0.0.1:1", "--kafka-publish", "t",
                              "--kafka-option-file", bad, f.logs});
    CHECK(r.status == 2);
    CHECK(r.err.find("line 3") != std::string::npos);
    CHECK(r.err.find("--kafka-option-file") != std::string::npos);
}
