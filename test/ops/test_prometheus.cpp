// A real Prometheus server (Debian's prometheus package) scrapes logad's /metrics listener.
#include "../oracle.hpp"
#include "receiver.hpp"

#include <logad/ops/monitor.hpp>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "../support/support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using namespace logad::ops;

namespace {

// Runs a program with its output in a log file; killed (SIGTERM, then SIGKILL) when destroyed.
class Child {
public:
    Child(std::vector<std::string> args, const fs::path& log) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawnp(&m_pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) m_pid = -1;
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Child() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    bool started() const { return m_pid > 0; }

private:
    pid_t m_pid = -1;
};

}  // namespace

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
    Child prometheus({"prometheus", "--config.file=" + (dir / "prometheus.yml").string(),
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
