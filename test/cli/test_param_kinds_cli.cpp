// Parameter slots typed by evidence, end to end: a counter that keeps growing and resets, a
// date and a random id stay quiet; a latency far out of range alerts. Models saved before slot
// kinds load; a kind this logad does not know is refused clearly.
#include "process.hpp"

#include "../support/support.hpp"

#include <catch2/catch.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>

using logad::test::run_logad;

namespace {

std::string param_kinds_line(int t, long long counter, const std::string& day, unsigned long long id, int ms) {
    return fmt::format("2026-11-20T{:02}:{:02}:{:02}Z INFO worker: batch done, total {} on {} request {} in {} ms\n",
                       t / 3600, t / 60 % 60, t % 60, counter, day, id, ms);
}

struct ParamKindLogs {
    std::string train, normal, spike;
    ParamKindLogs() {
        std::mt19937_64 rng(1);
        std::string text;
        long long c = 0;
        for (int i = 0; i < 600; ++i) {
            c = i % 200 == 0 ? 0 : c + 10 + static_cast<long long>(rng() % 3);
            text += param_kinds_line(i, c, fmt::format("2005.09.{:02}", 1 + i / 30), 1'000'000'000'000'000ULL + rng() % 8'000'000'000'000'000ULL,
                                     20 + static_cast<int>(rng() % 41));
        }
        train = logad::test::write_temp("param-kinds-train.log", text);
        text.clear();
        c = 50000;  // the counter far beyond its training values, then reset
        for (int i = 600; i < 700; ++i) {
            c = i == 650 ? 3 : c + 10 + static_cast<long long>(rng() % 3);
            text += param_kinds_line(i, c, fmt::format("2005.11.{:02}", 1 + (i - 600) / 30), 9'000'000'000'000'000ULL + rng() % 1000,
                                     20 + static_cast<int>(rng() % 41));
        }
        normal = logad::test::write_temp("param-kinds-normal.log", text);
        spike = logad::test::write_temp("param-kinds-spike.log", text + param_kinds_line(701, c + 12, "2005.11.05", 1234, 98000));
    }
};

}  // namespace

TEST_CASE("cli: counters, dates and ids raise no param_range, a latency spike does", "[cli]") {
    const ParamKindLogs logs;
    const std::string model = logad::test::temp_path("param-kinds.json");
    REQUIRE(run_logad({"train", "-q", "-o", model, logs.train}).status == 0);
    const auto normal = run_logad({"score", "--records", "-m", model, logs.normal});
    REQUIRE(normal.status == 0);
    CHECK(normal.out.find("param_range") == std::string::npos);
    const auto spike = run_logad({"score", "--records", "-m", model, logs.spike});
    REQUIRE(spike.status == 0);
    CHECK(spike.out.find("\"signal:param_range\"") != std::string::npos);
    CHECK(spike.out.find("param 4 of `batch done, total <*> on <*> request <*> in <*>` = 98000 ms, training p99 = 60") != std::string::npos);

    SECTION("a model saved before slot kinds still loads, its slots judged as measurements") {
        nlohmann::json doc = nlohmann::json::parse(logad::test::read_all(model));
        for (auto& p : doc["pipeline"]["feature_space"]["params"]) p.erase(7);
        const std::string old_model = logad::test::write_temp("param-kinds-old.json", doc.dump());
        const auto r = run_logad({"score", "--records", "-m", old_model, logs.spike});
        CHECK(r.status == 0);
        CHECK(r.out.find("= 98000 ms, training p99 = 60") != std::string::npos);
    }
    SECTION("a slot kind this logad does not know is refused clearly") {
        nlohmann::json doc = nlohmann::json::parse(logad::test::read_all(model));
        doc["pipeline"]["feature_space"]["params"][0][7]["kind"] = "wavelength";
        const std::string newer = logad::test::write_temp("param-kinds-newer.json", doc.dump());
        const auto r = run_logad({"score", "--records", "-m", newer, logs.normal});
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::StartsWith("logad score: error: ") && Catch::Contains("parameter kind 'wavelength'") &&
                              Catch::Contains("newer logad"));
    }
}
