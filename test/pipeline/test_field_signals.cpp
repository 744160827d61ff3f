// Signals that read a record's fields: the HTTP status class share (status_share), the level
// share of events naming no component, numeric fields out of range (field_range), components
// as entities with a bounded number learned, and the model parts they add, old models loading.
#include <logad/error.hpp>
#include <logad/pipeline/signals.hpp>

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <cmath>
#include <map>
#include <random>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::pipeline;

namespace {

// Records as the parsers write them: an access log (status as plain text) or JSON lines.
struct FieldStream {
    std::mt19937 rng{11};
    std::int64_t t = 1700000040000 - 1700000040000 % 60000;
    std::uint64_t line = 0;
    std::vector<Event> out;

    Event& add(std::uint32_t id, const std::string& text, std::int64_t step_ms) {
        Event& e = out.emplace_back();
        e.template_id = id;
        e.template_text = text;
        e.record.message = text;
        e.record.ts_ms = t += step_ms;
        e.record.line = ++line;
        e.record.level = Level::info;
        return e;
    }
    // One access log request; `status` 0 draws a normal one (2% 404, no 5xx).
    void request(int status = 0, const std::string& service = "") {
        if (status == 0) status = rng() % 50 == 0 ? 404 : 200;
        Event& e = add(1, "GET <*> HTTP/1.1", 500);
        e.record.level = status >= 500 ? Level::error : status >= 400 ? Level::warn : Level::info;
        e.record.fields.push_back({"client", "10.0.0." + std::to_string(rng() % 50), false});
        e.record.fields.push_back({"status", std::to_string(status), false});
        if (!service.empty()) e.record.fields.push_back({"service", service, false});
    }
    // One JSON line with numeric fields: a latency, an id spread evenly, a counter.
    void json(double duration_ms, std::uint64_t order_id, std::uint64_t seq) {
        Event& e = add(2, "cart updated", 1000);
        e.record.fields.push_back({"duration_ms", fmt::format("{:.1f}", duration_ms), true});
        e.record.fields.push_back({"order_id", std::to_string(order_id), true});
        e.record.fields.push_back({"seq", std::to_string(seq), true});
        e.record.fields.push_back({"user", "\"bob\"", true});
    }
};

struct Learned {
    featurize::FeatureSpace space;
    Baseline baseline;
};

Learned learn(const std::vector<Event>& events) {
    featurize::FeatureSpaceBuilder fb;
    BaselineLearner bl(60000, nullptr, 30000);
    for (const Event& e : events) {
        fb.add(e);
        bl.add(e);
    }
    return {fb.build(), bl.finish()};
}

std::vector<Alert> alerts_of(const Learned& m, const std::vector<Event>& events) {
    std::vector<Alert> out;
    SignalChecker checker(m.baseline, m.space, nullptr, [&](Alert& a) { out.push_back(a); });
    for (const Event& e : events) checker.add(e);
    checker.finish();
    return out;
}

std::map<std::string, int> by_signal(const std::vector<Alert>& alerts) {
    std::map<std::string, int> n;
    for (const Alert& a : alerts) {
        ++n[std::string(signal_name(a.signal))];
        UNSCOPED_INFO(signal_name(a.signal) << " [" << a.key << "]: " << a.reason);
    }
    return n;
}

}  // namespace

TEST_CASE("http_status reads a status field by its name and a three-digit value", "[pipeline]") {
    CHECK(http_status({"status", "503", false}) == 503);
    CHECK(http_status({"http.response.status_code", "404", true}) == 404);
    CHECK(http_status({"statusCode", "\"201\"", true}) == 201);
    CHECK(http_status({"status", "ok", false}) == 0);
    CHECK(http_status({"status", "1503", false}) == 0);
    CHECK(http_status({"bytes", "503", false}) == 0);
}

TEST_CASE("status_share: an access log's 503 outage alerts with the 5xx share, normal traffic does not", "[pipeline]") {
    FieldStream train;
    for (int i = 0; i < 60 * 120; ++i) train.request();  // an hour, 2 requests a second
    const Learned m = learn(train.out);
    REQUIRE(m.baseline.statuses.count(""));
    CHECK(m.baseline.statuses.at("").max_5xx == 0);
    CHECK(m.baseline.statuses.at("").windows >= 55);

    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 10 * 120; ++i) test.request();
    CHECK(by_signal(alerts_of(m, test.out)).empty());

    for (int i = 0; i < 400; ++i) test.request(503);  // 400 in a row over two minutes or so
    for (int i = 0; i < 3 * 120; ++i) test.request();
    const auto alerts = alerts_of(m, test.out);
    const auto n = by_signal(alerts);
    CHECK(n.at("status_share") >= 2);
    CHECK(n.count("level_shift") == 0);  // an access log's level restates its status: one signal
    const auto it = std::find_if(alerts.begin(), alerts.end(), [](const Alert& a) {
        return a.signal == SignalKind::status_share && a.reason == "5xx share 120 of 120 requests (100%) in 60 s, training at most 0%";
    });
    REQUIRE(it != alerts.end());
    CHECK(it->key == "5xx");
    CHECK(it->per == "window");
}

TEST_CASE("status_share: a 4xx share jump alerts as 4xx, too few requests in a window are not judged", "[pipeline]") {
    FieldStream train;
    for (int i = 0; i < 60 * 120; ++i) train.request();
    const Learned m = learn(train.out);

    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 120; ++i) test.request(i % 2 ? 404 : 0);
    test.t += 120000;
    for (int i = 0; i < 8; ++i) test.add(1, "GET <*> HTTP/1.1", 6000);  // a quiet minute...
    for (int i = 0; i < 8; ++i) test.request(503);                        // ...of a few failures
    test.t += 60000;
    test.request();
    const auto alerts = alerts_of(m, test.out);
    const auto n = by_signal(alerts);
    CHECK(n.at("status_share") == 1);
    CHECK_THAT(alerts.at(0).reason, Catch::Contains("4xx share"));
}

TEST_CASE("status_share and level_shift per component: only the component that fails alerts", "[pipeline]") {
    FieldStream train;
    for (int i = 0; i < 60 * 120; ++i) train.request(0, i % 2 ? "api" : "web");
    const Learned m = learn(train.out);
    CHECK(m.baseline.statuses.count("api"));
    CHECK(m.baseline.statuses.count("web"));

    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 5 * 120; ++i) test.request(0, i % 2 ? "api" : "web");
    for (int i = 0; i < 240; ++i) test.request(i % 2 ? 502 : 0, i % 2 ? "api" : "web");
    for (int i = 0; i < 2 * 120; ++i) test.request(0, i % 2 ? "api" : "web");
    const auto alerts = alerts_of(m, test.out);
    bool api = false;
    for (const Alert& a : alerts) {
        INFO(signal_name(a.signal) << " [" << a.key << "]: " << a.reason);
        CHECK(a.key != "web");
        if (a.signal == SignalKind::status_share) CHECK((a.key == "api" || a.key == "5xx"));
        if (a.signal == SignalKind::status_share && a.key == "api") {
            api = true;
            CHECK_THAT(a.reason, Catch::StartsWith("component api: 5xx share"));
        }
    }
    CHECK(api);
}

TEST_CASE("level_shift: events that name no component are judged together", "[pipeline]") {
    FieldStream train;
    for (int i = 0; i < 60 * 60; ++i) train.add(7, "job step", 1000).record.level = i % 40 == 0 ? Level::warn : Level::info;
    const Learned m = learn(train.out);
    CHECK(m.baseline.overall.windows >= 55);
    CHECK(m.baseline.overall.max < 0.1);
    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 300; ++i) test.add(7, "job step", 1000).record.level = i >= 60 && i < 120 ? Level::error : Level::info;
    const auto alerts = alerts_of(m, test.out);
    REQUIRE(by_signal(alerts).at("level_shift") >= 1);
    CHECK(alerts.at(0).key.empty());
    CHECK_THAT(alerts.at(0).reason, Catch::Contains("were warnings or errors in 60 s"));
}

TEST_CASE("field_range: a numeric JSON field far above its training range alerts, naming the field", "[pipeline]") {
    FieldStream train;
    std::lognormal_distribution<double> latency(3.0, 0.4);
    std::uniform_int_distribution<std::uint64_t> ids(100000, 999999);
    for (int i = 0; i < 3000; ++i) train.json(latency(train.rng), ids(train.rng), 1000 + i);
    const Learned m = learn(train.out);
    REQUIRE(m.space.fields.count("duration_ms"));
    CHECK(m.space.fields.at("duration_ms").kind == featurize::SlotKind::measurement);
    CHECK(m.space.fields.at("order_id").kind == featurize::SlotKind::id);
    CHECK(m.space.fields.at("seq").kind == featurize::SlotKind::counter);
    CHECK(m.space.fields.count("user") == 0);  // never a number

    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 300; ++i) test.json(latency(test.rng), ids(test.rng), 5000 + i);
    CHECK(by_signal(alerts_of(m, test.out)).empty());

    test.json(98765.4, ids(test.rng), 5301);
    test.json(latency(test.rng), 7, 5302);            // an id far below its range: never judged
    test.json(latency(test.rng), 99999999999, 5303);  // ...nor far above
    test.json(latency(test.rng), ids(test.rng), 3);   // a counter's reset: no rate
    const auto alerts = alerts_of(m, test.out);
    REQUIRE(by_signal(alerts).at("field_range") == 1);
    CHECK(alerts.size() == 1);
    CHECK(alerts.at(0).first_line == test.line - 3);
    CHECK_THAT(alerts.at(0).reason, Catch::StartsWith("field duration_ms of `cart updated` = 98765.4, training p99 = ") &&
                                        Catch::Contains("(range "));
}

TEST_CASE("field_range: numeric fields are bounded, a status field is a class, not a range", "[pipeline]") {
    FieldStream train;
    for (int i = 0; i < 200; ++i) {
        Event& e = train.add(3, "metrics", 1000);
        for (std::size_t f = 0; f < featurize::k_max_numeric_fields + 10; ++f)
            e.record.fields.push_back({fmt::format("m{}", f), std::to_string(i % 7), true});
        e.record.fields.push_back({"status", "200", true});
    }
    const Learned m = learn(train.out);
    CHECK(m.space.fields.size() == featurize::k_max_numeric_fields);
    CHECK(m.space.fields_dropped == 200 * 10);
    CHECK(m.space.fields.count("status") == 0);
}

TEST_CASE("components: at most k_max_components are learned, the rest counted", "[pipeline]") {
    FieldStream train;
    // One full window with more components than the cap, each with enough events to judge.
    for (int round = 0; round < 10; ++round)
        for (std::size_t c = 0; c < k_max_components + 5; ++c) {
            Event& e = train.add(4, "tick", 0);
            e.record.fields.push_back({"host", fmt::format("node-{}", c), false});
        }
    train.add(4, "tick", 61000);
    const Learned m = learn(train.out);
    CHECK(m.baseline.components.size() == k_max_components);
    CHECK(m.baseline.components_dropped == 5);
    CHECK(m.baseline.components.count("node-0"));
}

TEST_CASE("the fields' baselines survive save and load, a model saved before them still loads", "[pipeline]") {
    FieldStream train;
    std::lognormal_distribution<double> latency(3.0, 0.4);
    for (int i = 0; i < 60 * 120; ++i) {
        train.request(0, i % 2 ? "api" : "web");
        if (i % 4 == 0) train.json(latency(train.rng), 1000 + i, i);
        if (i % 4 == 2) train.add(7, "job step", 0);
    }
    const Learned m = learn(train.out);
    const nlohmann::json b = m.baseline.to_json(), s = m.space.to_json();
    REQUIRE(b.contains("statuses"));
    REQUIRE(b.contains("overall"));
    REQUIRE(s.contains("fields"));
    const Baseline b2 = Baseline::from_json(nlohmann::json::parse(b.dump()));
    CHECK(b2.to_json() == b);
    CHECK(b2.statuses.at("api").windows == m.baseline.statuses.at("api").windows);
    const featurize::FeatureSpace s2 = featurize::FeatureSpace::from_json(nlohmann::json::parse(s.dump()));
    CHECK(s2.to_json() == s);
    CHECK(s2.fields.at("duration_ms").p99 == m.space.fields.at("duration_ms").p99);

    nlohmann::json old_b = b, old_s = s;
    old_b.erase("statuses");
    old_b.erase("overall");
    old_s.erase("fields");
    old_s.erase("fields_dropped");
    const Baseline b3 = Baseline::from_json(old_b);
    CHECK(b3.statuses.empty());
    CHECK(b3.overall.windows == 0);
    const featurize::FeatureSpace s3 = featurize::FeatureSpace::from_json(old_s);
    CHECK(s3.fields.empty());
    // Not learned means not judged: the old model is quiet on an outage it could not know.
    FieldStream test;
    test.t = train.t + 60000;
    for (int i = 0; i < 400; ++i) test.request(503, "api");
    const Learned old{s3, b3};
    for (const Alert& a : alerts_of(old, test.out)) CHECK(a.signal != SignalKind::status_share);

    nlohmann::json bad = b;
    bad["statuses"][0][1] = -3;
    CHECK_THROWS_AS(Baseline::from_json(bad), FormatError);
}
