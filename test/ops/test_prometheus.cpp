// A real Prometheus server (Debian's prometheus package) scrapes logad's /metrics listener.
#include "../oracle.hpp"
#include "receiver.hpp"

#include <logad/ops/monitor.hpp>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "../support/child_process.hpp"
#include "../support/support.hpp"

namespace fs = std::filesystem;
using namespace logad::ops;

TEST_CASE("a real Prometheus server scrapes the /metrics listener", "[ops][prometheus]") {
    if (std::system("command -v prometheus >/dev/null 2>&1") != 0) {
        LOGAD_ORACLE_MISSING("prometheus not installed (Debian package prometheus): the scrape test");
        return;
    }
    MonitorOptions o;
    o.metrics_listen = "127.0.0.1:0";
    Monitor monitor(o);
    REQUIRE(monitor.metrics_port() > 0);
    ScoreProgress p;
    p.lines = 4242;
    p.events = 4000;
    monitor.on_progress(p);

    const fs::path dir = fs::temp_directory_path() / ("logad-prometheus-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "data");
    std::ofstream(dir / "prometheus.yml") << "global:\n"
                                             "  scrape_interval: 1s\n"
                                             "  scrape_timeout: 1s\n"
                                             "scrape_configs:\n"
                                             "  - job_name: logad\n"
                                             "    static_configs:\n"
                                             "      - targets: ['127.0.0.1:"
                                          << monitor.metrics_port() << "']\n";
    const int port = logad::test::closed_port();
    logad::test::ChildProcess prometheus({"prometheus", "--config.file=" + (dir / "prometheus.yml").string(),
                      "--storage.tsdb.path=" + (dir / "data").string(),
                      "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                     dir / "prometheus.log");
    REQUIRE(prometheus.started());

    httplib::Client api("127.0.0.1", port);
    api.set_connection_timeout(1, 0);
    api.set_read_timeout(2, 0);
    std::string health, value;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline && (health != "up" || value.empty())) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        if (auto res = api.Get("/api/v1/targets"); res && res->status == 200) {
            const auto j = nlohmann::json::parse(res->body, nullptr, false);
            if (j.is_object() && j["data"]["activeTargets"].is_array() && !j["data"]["activeTargets"].empty())
                health = j["data"]["activeTargets"][0].value("health", "");
        }
        if (auto res = api.Get("/api/v1/query?query=logad_lines_total"); res && res->status == 200) {
            const auto j = nlohmann::json::parse(res->body, nullptr, false);
            if (j.is_object() && j["data"]["result"].is_array() && !j["data"]["result"].empty())
                value = j["data"]["result"][0]["value"][1].get<std::string>();
        }
    }
    INFO(logad::test::read_all(dir / "prometheus.log"));
    CHECK(health == "up");
    CHECK(value == "4242");
    fs::remove_all(dir);
}
