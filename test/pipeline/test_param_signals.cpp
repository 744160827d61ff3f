// The param_range signal judges measurements by their values and counters by their rates;
// ids, dates and hashes never raise it.
#include <logad/pipeline/signals.hpp>

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <random>

using namespace logad;
using namespace logad::pipeline;

namespace {

struct ParamStream {
    std::int64_t t = 1700000000000;
    std::uint64_t line = 0;
    std::vector<Event> out;
    void add(const std::string& value, ParamKind kind = ParamKind::number, std::int64_t step_ms = 1000) {
        Event e;
        e.template_id = 5;
        e.template_text = "Job done, value <*>";
        e.record.ts_ms = t += step_ms;
        e.record.line = ++line;
        e.record.message = "Job done, value " + value;
        e.params = {{value, kind}};
        out.push_back(std::move(e));
    }
};

// param_range alerts on `scored` after training on `trained`.
std::vector<Alert> param_alerts(const std::vector<Event>& trained, const std::vector<Event>& scored) {
    featurize::FeatureSpaceBuilder fb;
    BaselineLearner bl(60000, nullptr, 30000);
    for (const Event& e : trained) {
        fb.add(e);
        bl.add(e);
    }
    const featurize::FeatureSpace space = fb.build();
    const Baseline baseline = bl.finish();
    std::vector<Alert> alerts;
    SignalChecker checker(baseline, space, nullptr, [&](Alert& a) {
        if (a.signal == SignalKind::param_range) alerts.push_back(a);
    });
    for (const Event& e : scored) checker.add(e);
    checker.finish();
    return alerts;
}

}  // namespace

TEST_CASE("param_range: a date slot is never range-checked", "[pipeline]") {
    ParamStream train, test;
    for (int i = 0; i < 60; ++i) train.add(fmt::format("2005.09.{:02}", 1 + i % 28));
    for (int i = 0; i < 60; ++i) train.add(fmt::format("2005-09-{:02}", 1 + i % 28));
    test.t = train.t;
    test.add("2005.11.05");  // before: `= 2005.11.05, training p99 = 2005 (range 2005 to 2005)`
    test.add("2006-01-02");
    test.add("2031");
    CHECK(param_alerts(train.out, test.out).empty());
}

TEST_CASE("param_range: an id slot never alerts, a slot constant in training is judged by magnitude", "[pipeline]") {
    std::mt19937_64 rng(3);
    ParamStream train, test;
    for (int i = 0; i < 200; ++i) train.add(std::to_string(1'000'000'000'000'000ULL + rng() % 9'000'000'000'000'000ULL));
    test.t = train.t;
    test.add("98765432109876543210");
    test.add("1");
    CHECK(param_alerts(train.out, test.out).empty());

    // Zookeeper: `[SendWorker:188978561024:...]` in training, `[SendWorker:1:...]` scored
    // 333,333 times the bar; a server id 1 then 2 and 3, the same.
    ParamStream sid, sid_test;
    for (int i = 0; i < 30; ++i) sid.add("188978561024");
    sid_test.t = sid.t;
    sid_test.add("1");
    sid_test.add("3");
    CHECK(param_alerts(sid.out, sid_test.out).empty());
    ParamStream myid, myid_test;
    for (int i = 0; i < 30; ++i) myid.add("1");
    myid_test.t = myid.t;
    myid_test.add("2");
    myid_test.add("3");
    CHECK(param_alerts(myid.out, myid_test.out).empty());
    myid_test.add("5000");  // a queue that was always 1 now at 5000 is news
    CHECK(param_alerts(myid.out, myid_test.out).size() == 1);
}

TEST_CASE("param_range: a counter that grows and resets is quiet, its rate jumping 100x alerts", "[pipeline]") {
    ParamStream train;
    for (int i = 0; i < 300; ++i) train.add(std::to_string(10 * (i % 120) + i % 3));  // +10/s, reset every 2 min
    ParamStream test;
    test.t = train.t + 3600000;
    for (int i = 0; i < 100; ++i) test.add(std::to_string(100000 + 10 * i));  // an hour on: far beyond training values
    for (int i = 0; i < 50; ++i) test.add(std::to_string(2 + 10 * i));        // midnight reset
    CHECK(param_alerts(train.out, test.out).empty());

    test.add(std::to_string(492 + 1000));  // 1000 per second
    const auto alerts = param_alerts(train.out, test.out);
    REQUIRE(alerts.size() == 1);
    CHECK_THAT(alerts[0].reason, Catch::StartsWith("rate of param 1 (increase per second) of `Job done, value <*>` = 1000") &&
                                     Catch::Contains("training p99 = 11 (range 8 to 11)"));
}

TEST_CASE("param_range: a latency out of range still alerts, in any unit", "[pipeline]") {
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> latency(std::log(40.0), 0.3);
    ParamStream train, test;
    for (int i = 0; i < 400; ++i) train.add(fmt::format("{:.1f}ms", latency(rng)), ParamKind::duration);
    test.t = train.t;
    test.add("52.0ms", ParamKind::duration);
    test.add("0.05s", ParamKind::duration);
    CHECK(param_alerts(train.out, test.out).empty());
    test.add("1.5 minutes", ParamKind::duration);  // was read as 1.5 (the masker knew `minutes`, the featurizer not)
    const auto alerts = param_alerts(train.out, test.out);
    REQUIRE(alerts.size() == 1);
    CHECK_THAT(alerts[0].reason, Catch::StartsWith("param 1 of `Job done, value <*>` = 1.5 minutes, training p99 = "));
}

TEST_CASE("param_range: a slot trained on 512M does not alert on 1G", "[pipeline]") {
    ParamStream train, test;
    for (int i = 0; i < 40; ++i) train.add("512M", ParamKind::size);
    test.t = train.t;
    test.add("1G", ParamKind::size);
    test.add("0.5G", ParamKind::size);
    CHECK(param_alerts(train.out, test.out).empty());
    test.add("64G", ParamKind::size);
    CHECK(param_alerts(train.out, test.out).size() == 1);
}
