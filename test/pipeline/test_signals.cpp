#include <logad/error.hpp>
#include <logad/pipeline/signals.hpp>
#include <logad/pipeline/window_tally.hpp>

#include "traffic.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;
using logad::test::Traffic;

namespace {

struct Trained {
    featurize::FeatureSpace space;
    featurize::SessionKey key{"Order (\\d+)"};
    Baseline baseline;
};

Trained train() {
    Trained tr;
    Traffic normal(1);
    normal.minutes(60);
    featurize::FeatureSpaceBuilder fb;
    BaselineLearner bl(60000, &tr.key, 30000);
    for (const Event& e : normal.out) {
        fb.add(e);
        bl.add(e);
    }
    tr.space = fb.build();
    tr.baseline = bl.finish();
    return tr;
}

std::map<std::string, int> check(const Trained& tr, const std::vector<Event>& events, std::vector<Alert>* keep = nullptr) {
    std::map<std::string, int> by_signal;
    SignalChecker checker(tr.baseline, tr.space, &tr.key, [&](Alert& a) {
        ++by_signal[std::string(signal_name(a.signal))];
        if (keep) keep->push_back(a);
    });
    for (const Event& e : events) checker.add(e);
    checker.finish();
    return by_signal;
}

}  // namespace

TEST_CASE("normal traffic like the training data raises no signal", "[pipeline]") {
    const Trained tr = train();
    CHECK(tr.baseline.windows >= 55);
    CHECK(tr.baseline.sessions > 100);
    Traffic normal(2);
    normal.t += 7200000;
    normal.minutes(30);
    std::vector<Alert> alerts;
    const auto signals = check(tr, normal.out, &alerts);
    for (const Alert& a : alerts) UNSCOPED_INFO(signal_name(a.signal) << ": " << a.reason);
    CHECK(signals.empty());
}

TEST_CASE("each kind of incident raises its own signal, in words", "[pipeline]") {
    const Trained tr = train();
    Traffic test(3);
    test.t += 7200000;
    test.minutes(5);
    std::vector<Alert> alerts;

    SECTION("a never-seen error") {
        test.emit(99, "Disk <*> failed", "Disk sda failed", Level::error);
        test.minutes(2);
        CHECK(check(tr, test.out, &alerts)["new_template"] == 1);
        CHECK_THAT(alerts.at(0).reason, Catch::Contains("Disk <*> failed") && Catch::Contains("never seen"));
    }
    SECTION("a burst of a normal message") {
        for (int i = 0; i < 200; ++i) test.emit(30, "GET <*> <*>", "GET /x").record.fields.push_back({"client", "10.0.0.1", false});
        test.minutes(2);
        CHECK(check(tr, test.out, &alerts)["burst"] >= 1);
        CHECK_THAT(alerts.at(0).reason, Catch::Contains("GET <*> <*>") && Catch::Contains("times in 60 s"));
    }
    SECTION("a parameter far out of its range") {
        test.emit(20, "Payment took <*> ms", "Payment took 2300 ms").params = {{"2300", ParamKind::number}};
        test.minutes(1);
        CHECK(check(tr, test.out, &alerts)["param_range"] == 1);
        CHECK_THAT(alerts.at(0).reason, Catch::Contains("= 2300") && Catch::Contains("p99"));
    }
    SECTION("a periodic message goes silent") {
        const auto before = test.out.size();
        test.minutes(3);
        std::vector<Event> kept(test.out.begin(), test.out.begin() + static_cast<long>(before));
        for (std::size_t i = before; i < test.out.size(); ++i)
            if (test.out[i].template_id != 1) kept.push_back(test.out[i]);
        const auto signals = check(tr, kept, &alerts);
        CHECK(signals.at("silence") >= 1);
        CHECK(signals.size() == 1);
        CHECK_THAT(alerts.at(0).reason, Catch::Contains("Heartbeat ok") && Catch::Contains("silent for 2 min"));
    }
    SECTION("an order shipped before it was paid") {
        test.emit(10, "Order <*> created", "Order 777777 created");
        test.emit(12, "Order <*> shipped", "Order 777777 shipped");
        test.emit(11, "Order <*> paid", "Order 777777 paid");
        test.minutes(2);
        CHECK(check(tr, test.out, &alerts)["sequence"] == 1);
        CHECK(alerts.at(0).key == "777777");
        CHECK_THAT(alerts.at(0).reason, Catch::Contains("shipped") && Catch::Contains("came before"));
    }
    SECTION("a component's errors jump") {
        for (int i = 0; i < 30; ++i) {
            Event& e = test.emit(21, "Payment failed", "Payment failed", Level::error);
            e.record.fields.push_back({"component", "Payment", false});
        }
        test.minutes(2);
        CHECK(check(tr, test.out, &alerts)["level_shift"] >= 1);
    }
    SECTION("one client hammering 404s") {
        for (int i = 0; i < 150; ++i) {
            Event& e = test.emit(30, "GET <*> <*>", "GET /admin.php", Level::warn);
            e.record.fields.push_back({"client", "203.0.113.9", false});
        }
        test.minutes(2);
        const auto signals = check(tr, test.out, &alerts);
        CHECK(signals.at("scan") == 1);
        const auto scan = std::find_if(alerts.begin(), alerts.end(), [](const Alert& a) { return a.signal == SignalKind::scan; });
        CHECK(scan->key == "203.0.113.9");
    }
}

TEST_CASE("one empty window of a message typically seen 6 times in one is chance, not a silence", "[pipeline]") {
    // Judged every window, for every regular template, one empty window of a template at a
    // few per window happens by chance; two in a row (12 missed) are the first that do not.
    const Trained tr = train();
    Traffic test(3);
    test.t += 7200000;
    test.minutes(3);
    const std::int64_t from = test.t;
    test.minutes(4);
    auto without_heartbeat = [&](std::int64_t span_ms) {
        std::vector<Event> kept;
        for (const Event& e : test.out)
            if (e.template_id != 1 || e.record.ts_ms < from || e.record.ts_ms >= from + span_ms) kept.push_back(e);
        return kept;
    };
    CHECK(check(tr, without_heartbeat(90'000)).count("silence") == 0);   // one whole window at most
    CHECK(check(tr, without_heartbeat(180'000)).count("silence") == 1);  // two whole windows at least
}

TEST_CASE("a baseline survives to_json/from_json", "[pipeline]") {
    const Trained tr = train();
    const Baseline back = Baseline::from_json(nlohmann::json::parse(tr.baseline.to_json().dump()));
    CHECK(back.to_json() == tr.baseline.to_json());
    CHECK_THROWS_AS(Baseline::from_json(nlohmann::json::parse(R"({"window_ms":0})")), FormatError);
}

TEST_CASE("the component a record names: syslog's app and OpenTelemetry's service.name", "[pipeline]") {
    logad::Record syslog;
    syslog.fields = {{"host", "web-1", false}, {"app", "billing", false}, {"procid", "42", false}};
    CHECK(logad::pipeline::component_of(syslog) == "billing");
    logad::Record otlp;  // as the OTLP receiver's JSON lines give it: JSON string values
    otlp.fields = {{"service.name", "\"checkout\"", true}, {"host.name", "\"web-7\"", true}};
    CHECK(logad::pipeline::component_of(otlp) == "checkout");
}
