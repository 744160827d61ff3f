// ops::monitor_options: a Monitor's options from what a user asks for, one alert destination per
// URL given, each with the cooldown and rate asked and this host as the instance.
#include <logad/ops/monitor_settings.hpp>

#include <catch2/catch.hpp>

using namespace logad;

TEST_CASE("monitor settings: nothing asked, nothing enabled", "[ops]") {
    const ops::MonitorSettings none;
    CHECK_FALSE(none.enabled());
    const ops::MonitorOptions o = ops::monitor_options(none, pipeline::PipelineModel{});
    CHECK_FALSE(o.enabled());
    CHECK(o.alerts.empty());
    CHECK(o.model_templates == 0);  // a model without a miner
}

TEST_CASE("monitor settings: each destination becomes an alert sink with the limits asked", "[ops]") {
    ops::MonitorSettings s;
    s.metrics_file = "/tmp/logad.prom";
    s.webhook = "https://hooks.example.com/T0/B0/x";
    s.alertmanager = "http://alertmanager:9093";
    s.cooldown_ms = 60000;
    s.alert_rate = 5;
    CHECK(s.enabled());
    const ops::MonitorOptions o = ops::monitor_options(s, pipeline::PipelineModel{});
    CHECK(o.metrics_file == s.metrics_file);
    CHECK(o.metrics_listen.empty());
    REQUIRE(o.alerts.size() == 2);
    CHECK(o.alerts[0].url == s.webhook);
    CHECK(o.alerts[0].format == ops::AlertFormat::slack);
    CHECK(o.alerts[1].url == s.alertmanager);
    CHECK(o.alerts[1].format == ops::AlertFormat::alertmanager);
    for (const ops::AlertOptions& a : o.alerts) {
        CHECK(a.cooldown_ms == 60000);
        CHECK(a.max_per_minute == 5);
        CHECK_FALSE(a.instance.empty());  // this host's name
    }
}
