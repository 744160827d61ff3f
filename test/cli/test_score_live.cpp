// `logad score` on a live stream: a FIFO whose writer stays open. An anomaly must come out
// while the writer still holds the pipe (not at end of input), and soon: the target is
// 100 ms from the line that completes it to the record. The test asserts a loose bound (a busy
// CI machine is not a benchmark) and reports the measured latencies.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Ordinary traffic of a small shop: the same few messages with varying numbers and users.
std::string normal_line(int i, int hour, int minute, int second) {
    static const char* users[] = {"alice", "bob", "carol", "dave", "erin"};
    const std::string ts = fmt::format("2026-11-25 {:02}:{:02}:{:02}.{:03}", hour, minute, second, (i * 37) % 1000);
    switch (i % 4) {
        case 0: return fmt::format("{} INFO  [worker-{}] OrderService: Order {} created for user {} in {} ms", ts, i % 3, 100000 + i, users[i % 5], 10 + i % 30);
        case 1: return fmt::format("{} INFO  [http-{}] AccessLog: GET /api/orders/{} status 200 took {}ms", ts, i % 4, 100000 + i, 5 + i % 20);
        case 2: return fmt::format("{} DEBUG [worker-{}] Cache: hit ratio {}.{} for orders", ts, i % 3, 90 + i % 9, i % 10);
        default: return fmt::format("{} INFO  [worker-{}] PaymentService: Charge {} accepted for user {}", ts, i % 3, 500000 + i, users[(i + 2) % 5]);
    }
}

std::string training_log() {
    std::string s;
    for (int i = 0; i < 1200; ++i) s += normal_line(i, 8 + i / 3600, i / 60 % 60, i % 60) + "\n";
    return s;
}

// Opens the FIFO for writing once the reader has it open (ENXIO until then), without hanging
// if logad never opens it.
int open_writer(const std::string& fifo, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            ::fcntl(fd, F_SETFL, 0);  // blocking writes from here on
            return fd;
        }
        if (errno != ENXIO) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return -1;
}

void write_all(int fd, const std::string& text) {
    REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

// Reads records until an anomaly about `line` arrives or the time is up; returns it, or null.
nlohmann::json wait_for_anomaly(logad::test::LiveProcess& p, std::uint64_t line, int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return nullptr;
        const std::string text = p.read_line(static_cast<int>(left));
        if (text.empty()) return nullptr;
        const auto r = nlohmann::json::parse(text, nullptr, false);
        if (r.is_object() && r.value("anomaly", false) && r.value("line", std::uint64_t{0}) == line) return r;
    }
}

}  // namespace

TEST_CASE("score on a FIFO reports a never-seen error before the writer closes the pipe", "[cli][score]") {
    const std::string train = logad::test::temp_path("live-train.log");
    std::ofstream(train, std::ios::binary) << training_log();
    const std::string model = logad::test::temp_path("live-model.json");
    // What a newcomer runs: no format, no granularity.
    const auto trained = logad::test::run_logad({"train", "-q", "-o", model, train});
    REQUIRE(trained.status == 0);

    const std::string fifo = logad::test::temp_path("live.fifo");
    std::filesystem::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    logad::test::LiveProcess score({"score", "--records", "-m", model, fifo});
    const int writer = open_writer(fifo, 10000);
    REQUIRE(writer >= 0);

    // Normal traffic first, an hour after training; then never-seen errors, one at a time.
    std::uint64_t line = 0;
    std::string normal;
    for (int i = 0; i < 50; ++i, ++line) normal += normal_line(i, 10, 0, i) + "\n";
    write_all(writer, normal);

    const std::vector<std::string> errors = {
        "2026-11-25 10:01:00.000 ERROR [worker-1] OrderService: Database connection refused by db-primary.internal:5432",
        "2026-11-25 10:01:02.000 ERROR [worker-2] StockService: Disk quota exceeded on /var/lib/stock",
        "2026-11-25 10:01:04.000 FATAL [main] Supervisor: Out of memory, killing process worker-0",
        "2026-11-25 10:01:06.000 ERROR [http-1] AccessLog: TLS handshake failed with upstream gateway",
        "2026-11-25 10:01:08.000 ERROR [worker-0] PaymentService: Certificate for psp.example.com expired",
    };
    std::vector<double> latencies_ms;
    for (const std::string& e : errors) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the normal lines drain
        ++line;
        const auto t0 = Clock::now();
        write_all(writer, e + "\n");
        const nlohmann::json r = wait_for_anomaly(score, line, 5000);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        INFO("line " << line << ": " << e);
        REQUIRE(r.is_object());  // came while the writer still holds the pipe open
        CHECK(r["reasons"].size() >= 1);
        latencies_ms.push_back(ms);
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    const double median = latencies_ms[latencies_ms.size() / 2];
    WARN(fmt::format("line-in -> anomaly-out latency over {} lines: median {:.1f} ms, max {:.1f} ms (target < 100 ms)",
                     latencies_ms.size(), median, latencies_ms.back()));
    CHECK(median < 1000);  // loose: the target is 100 ms, but tests share loaded machines

    ::close(writer);
    CHECK(score.wait() == 0);
    std::filesystem::remove(fifo);
}
