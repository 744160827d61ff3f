// Signals that read fields, end to end: an nginx access log trained on normal traffic alerts on
// an upstream outage (400 503s in a row) with its 5xx share, and stays quiet on normal traffic;
// a JSON service's numeric field far above its range alerts with the field's name.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <random>

using logad::test::run_logad;

namespace {

std::string access_line(long t, int client, int status, int bytes) {
    const long s = t / 1000;
    return fmt::format("10.1.0.{} - - [20/Nov/2026:{:02}:{:02}:{:02} +0000] \"GET /api/items/{} HTTP/1.1\" {} {} \"-\" \"curl/8.0\"\n",
                       client, 6 + s / 3600, s / 60 % 60, s % 60, client * 7 % 100, status, bytes);
}

// 2 requests a second; `outage` requests from `from` on answer 503.
std::string access_log(std::mt19937& rng, long t0, int requests, int from = -1, int outage = 0) {
    std::string text;
    for (int i = 0; i < requests; ++i) {
        const bool failed = i >= from && i < from + outage;
        const int status = failed ? 503 : rng() % 40 == 0 ? 404 : rng() % 10 == 0 ? 304 : 200;
        text += access_line(t0 + i * 500L, static_cast<int>(rng() % 60), status, status == 200 ? 200 + static_cast<int>(rng() % 5000) : 150);
    }
    return text;
}

std::string json_line(long t, double duration_ms) {
    const long s = t / 1000;
    return fmt::format("{{\"ts\":\"2026-11-20T{:02}:{:02}:{:02}Z\",\"level\":\"info\",\"msg\":\"cart updated\",\"duration_ms\":{:.1f}}}\n",
                       6 + s / 3600, s / 60 % 60, s % 60, duration_ms);
}

}  // namespace

TEST_CASE("cli: an access log's 503 outage is an incident with its 5xx share, normal traffic is quiet", "[cli]") {
    std::mt19937 rng(5);
    const std::string train = logad::test::write_temp("fields-access-train.log", access_log(rng, 0, 2 * 3600));
    const std::string normal = logad::test::write_temp("fields-access-normal.log", access_log(rng, 3600000, 2 * 600));
    const std::string outage = logad::test::write_temp("fields-access-outage.log", access_log(rng, 3600000, 2 * 600, 300, 400));
    const std::string model = logad::test::temp_path("fields-access.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, train}).status == 0);

    const auto quiet = run_logad({"score", "--records", "-m", model, normal});
    REQUIRE(quiet.status == 0);
    CHECK(quiet.out.find("status_share") == std::string::npos);

    const auto r = run_logad({"score", "-m", model, outage});
    REQUIRE(r.status == 0);
    INFO(r.out);
    CHECK(r.out.find("\"per\":\"incident\"") != std::string::npos);
    CHECK(r.out.find("signal:status_share") != std::string::npos);
    CHECK(r.out.find("5xx share 120 of 120 requests (100%) in 60 s, training at most 0%") != std::string::npos);
    const auto check = run_logad({"check", "-m", model, outage});
    CHECK(check.status == 1);
}

TEST_CASE("cli: a JSON numeric field far above its training range alerts with the field's name", "[cli]") {
    std::mt19937 rng(6);
    std::lognormal_distribution<double> latency(3.0, 0.4);
    std::string text;
    for (int i = 0; i < 3000; ++i) text += json_line(i * 1000L, latency(rng));
    const std::string train = logad::test::write_temp("fields-json-train.log", text);
    text.clear();
    for (int i = 3000; i < 3300; ++i) text += json_line(i * 1000L, i == 3150 ? 98765.4 : latency(rng));
    const std::string test = logad::test::write_temp("fields-json-test.log", text);
    const std::string model = logad::test::temp_path("fields-json.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, train}).status == 0);
    const auto r = run_logad({"score", "--records", "-m", model, test});
    REQUIRE(r.status == 0);
    INFO(r.out);
    CHECK(r.out.find("\"signal:field_range\"") != std::string::npos);
    CHECK(r.out.find("field duration_ms of `cart updated` = 98765.4, training p99 = ") != std::string::npos);
    CHECK(r.out.find("\"line\":151") != std::string::npos);
}
