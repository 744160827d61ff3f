#include "receiver.hpp"

#include <logad/error.hpp>
#include <logad/ops/alert_dispatcher.hpp>
#include <logad/ops/url.hpp>
#include <logad/util/civil_time.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

using namespace logad::ops;
using logad::test::Receiver;
using Clock = std::chrono::steady_clock;

namespace {

logad::pipeline::ScoreRecord anomaly(std::uint32_t template_id, const std::string& message, std::uint64_t line) {
    logad::pipeline::ScoreRecord r;
    r.per = "line";
    r.detector = "signal:new_template";
    r.score = 3;
    r.threshold = 1;
    r.anomaly = true;
    r.template_id = template_id;
    r.first_line = r.last_line = line;
    r.message = message;
    r.template_text = "kernel: <*> error";
    r.reasons = {"template " + std::to_string(template_id) + " was never seen in training"};
    return r;
}

AlertOptions fast(const std::string& url, AlertFormat format = AlertFormat::slack) {
    AlertOptions o;
    o.url = url;
    o.format = format;
    o.group_ms = 200;
    o.backoff_ms = 100;
    o.drain_ms = 2000;
    o.instance = "test-host";
    return o;
}

std::string rfc3339(std::int64_t ms) {
    std::string s;
    logad::util::append_rfc3339_ms(s, ms);
    return s;
}

long ms_since(Clock::time_point t) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

}  // namespace

TEST_CASE("a Slack-compatible webhook gets text and blocks with reasons and example lines", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertDispatcher d(fast(rx.url("/services/T000/B000/XXXXSECRET")), reg);
    d.offer(anomaly(41, "kernel: disk <sda1> & error", 17));
    d.offer(anomaly(42, "kernel: fan error", 18));
    REQUIRE(rx.wait_for(1, 5000) == 1);
    d.finish();
    const auto got = rx.received();
    REQUIRE(got.size() == 1);  // one burst, one message
    CHECK(got[0].path == "/services/T000/B000/XXXXSECRET");
    CHECK(got[0].content_type == "application/json");
    const auto j = nlohmann::json::parse(got[0].body);
    REQUIRE(j.at("text").is_string());
    CHECK(j.at("text").get<std::string>().find("2 anomalies on test-host") != std::string::npos);
    REQUIRE(j.at("blocks").is_array());
    REQUIRE(j.at("blocks").size() == 3);  // heading + one section per alert
    for (const auto& b : j.at("blocks")) {
        CHECK(b.at("type") == "section");
        CHECK(b.at("text").at("type") == "mrkdwn");
    }
    const std::string first = j.at("blocks")[1].at("text").at("text");
    CHECK(first.find("template 41 was never seen in training") != std::string::npos);
    CHECK(first.find("kernel: disk &lt;sda1&gt; &amp; error") != std::string::npos);  // escaped for mrkdwn
    CHECK(first.find("line 17") != std::string::npos);
    CHECK(d.stats().sent == 2);
    CHECK(d.stats().posts == 1);
}

TEST_CASE("the same template is not re-sent within the cool-down", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertOptions o = fast(rx.url("/hook"));
    o.cooldown_ms = 60000;
    AlertDispatcher d(o, reg);
    d.offer(anomaly(7, "first", 1));
    REQUIRE(rx.wait_for(1, 5000) == 1);
    for (int i = 0; i < 5; ++i) d.offer(anomaly(7, "again", 2 + i));  // same template: suppressed
    d.offer(anomaly(8, "other", 10));                                  // a different one goes out
    REQUIRE(rx.wait_for(2, 5000) == 2);
    d.finish();
    CHECK(rx.received().size() == 2);
    CHECK(d.stats().deduplicated == 5);
    CHECK(d.stats().sent == 2);
    const auto j = nlohmann::json::parse(rx.received()[1].body);
    CHECK(j.at("blocks").back().at("type") == "context");  // says how many repeats were held back
    CHECK(j.at("blocks").back().dump().find("5 repeats suppressed") != std::string::npos);
    CHECK(reg.render().find("logad_alerts_deduplicated_total{destination=\"webhook\"} 5\n") != std::string::npos);
}

TEST_CASE("a 500 answer is retried with backoff and then delivered", "[ops][alerts]") {
    Receiver rx({500, 503});
    Registry reg;
    AlertDispatcher d(fast(rx.url("/hook")), reg);
    d.offer(anomaly(1, "boom", 1));
    REQUIRE(rx.wait_for(3, 5000) == 3);
    d.finish();
    const auto got = rx.received();
    REQUIRE(got.size() == 3);
    CHECK(got[0].body == got[2].body);  // the same message again
    // Backoff: 100 ms, then 200 ms.
    CHECK(got[1].at - got[0].at >= std::chrono::milliseconds(90));
    CHECK(got[2].at - got[1].at >= std::chrono::milliseconds(190));
    CHECK(d.stats().failed_attempts == 2);
    CHECK(d.stats().sent == 1);
    CHECK(d.stats().dropped_failed == 0);
}

TEST_CASE("a 4xx answer other than 429 is not retried, and counted as dropped", "[ops][alerts]") {
    Receiver rx({404});
    Registry reg;
    AlertDispatcher d(fast(rx.url("/hook/token123456")), reg);
    d.offer(anomaly(1, "boom", 1));
    REQUIRE(rx.wait_for(1, 5000) == 1);
    d.finish();
    CHECK(rx.received().size() == 1);
    CHECK(d.stats().dropped_failed == 1);
    const auto w = d.take_warnings();
    REQUIRE(!w.empty());
    CHECK(w[0].find("HTTP 404") != std::string::npos);
    CHECK(w[0].find("token123456") == std::string::npos);
}

TEST_CASE("offers never wait on a dead receiver, and finish() keeps to its drain time", "[ops][alerts]") {
    const int port = logad::test::closed_port();
    Registry reg;
    AlertOptions o = fast("http://user:hunter2pass@127.0.0.1:" + std::to_string(port) + "/services/T1/B2/sEcReTtOkEn?key=qwertyuiop");
    o.queue_capacity = 50;
    o.drain_ms = 500;
    AlertDispatcher d(o, reg);
    const auto t0 = Clock::now();
    for (std::uint32_t i = 0; i < 1000; ++i) d.offer(anomaly(i + 1, "line", i));
    CHECK(ms_since(t0) < 500);  // 1000 offers: no network on this thread
    const auto t1 = Clock::now();
    d.finish();
    CHECK(ms_since(t1) < 1500);
    const AlertStats s = d.stats();
    CHECK(s.sent == 0);
    CHECK(s.dropped_queue_full >= 900);
    CHECK(s.dropped_queue_full + s.dropped_failed == 1000);
    const auto warnings = d.take_warnings();
    REQUIRE(!warnings.empty());
    for (const std::string& w : warnings) {
        INFO(w);
        CHECK(w.find("hunter2pass") == std::string::npos);
        CHECK(w.find("sEcReTtOkEn") == std::string::npos);
        CHECK(w.find("qwertyuiop") == std::string::npos);
        CHECK(w.find("http://127.0.0.1:" + std::to_string(port) + "/***") != std::string::npos);
    }
    CHECK(d.destination().find("sEcReTtOkEn") == std::string::npos);
}

TEST_CASE("the rate limit holds a burst back into one later message", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertOptions o = fast(rx.url("/hook"));
    o.max_per_minute = 1;
    o.group_ms = 50;
    AlertDispatcher d(o, reg);
    d.offer(anomaly(1, "a", 1));
    REQUIRE(rx.wait_for(1, 5000) == 1);
    d.offer(anomaly(2, "b", 2));
    d.offer(anomaly(3, "c", 3));
    CHECK(rx.wait_for(2, 600) == 1);  // no token for a minute
    d.finish();                       // the drain sends nothing more without a token...
    CHECK(rx.received().size() == 1);
    CHECK(d.stats().dropped_failed == 2);  // ...and counts what it could not send
}

TEST_CASE("Alertmanager gets an array of alerts, re-sent while active and resolved when quiet", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertOptions o = fast(rx.url(""), AlertFormat::alertmanager);
    o.resend_ms = 300;
    o.cooldown_ms = 1200;
    AlertDispatcher d(o, reg);
    d.offer(anomaly(5, "kernel: disk error", 3));
    d.offer(anomaly(5, "kernel: disk error", 4));  // the same alert, not a second one
    REQUIRE(rx.wait_for(3, 5000) >= 3);            // first post, then re-sends
    auto got = rx.received();
    CHECK(got[0].path == "/api/v2/alerts");
    const auto first = nlohmann::json::parse(got[0].body);
    REQUIRE(first.is_array());
    REQUIRE(first.size() == 1);
    const auto& a = first[0];
    CHECK(a.at("labels").at("alertname") == "LogadAnomaly");
    CHECK(a.at("labels").at("detector") == "signal:new_template");
    CHECK(a.at("labels").at("template_id") == "5");
    CHECK(a.at("labels").at("instance") == "test-host");
    CHECK(a.at("annotations").at("description") == "template 5 was never seen in training");
    CHECK(a.at("annotations").at("example") == "kernel: disk error");
    const std::string starts = a.at("startsAt"), ends = a.at("endsAt");
    CHECK(starts.size() == 24);  // 2026-01-02T03:04:05.678Z
    CHECK(starts.back() == 'Z');
    CHECK(ends > starts);  // same format, so text order is time order
    CHECK(nlohmann::json::parse(got[1].body)[0].at("startsAt") == starts);  // a re-send, same alert
    CHECK(ends > rfc3339(got[0].wall_ms + 900));  // active: ends in the future
    // After the cool-down without news it is posted once more with endsAt = now: resolved.
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    bool resolved = false;
    while (!resolved && Clock::now() < deadline) {
        for (const auto& r : rx.received()) {
            const auto j = nlohmann::json::parse(r.body);
            if (j.size() == 1 && j[0].at("endsAt").get<std::string>() <= rfc3339(r.wall_ms)) {
                resolved = true;
                CHECK(j[0].at("startsAt") == starts);
                CHECK(j[0].at("annotations").at("occurrences") == "2");
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    d.finish();
    CHECK(resolved);
    CHECK(d.stats().sent == 1);
    CHECK(d.stats().deduplicated == 1);
}

TEST_CASE("secrets in a URL never appear in what logad prints", "[ops][alerts]") {
    const std::string url = "https://bot:pa55word@hooks.example.org:8443/services/T0AB/B0CD/abcdefSECRET?token=zzzzzz#frag";
    CHECK(redact_url(url) == "https://hooks.example.org:8443/***");
    CHECK(redact_url("http://alertmanager:9093") == "http://alertmanager:9093");
    const std::string scrubbed =
        scrub_secrets("failed " + url + " and abcdefSECRET, pa55word, token=zzzzzz, bot:pa55word", url);
    CHECK(scrubbed.find("abcdefSECRET") == std::string::npos);
    CHECK(scrubbed.find("pa55word") == std::string::npos);
    CHECK(scrubbed.find("zzzzzz") == std::string::npos);
    CHECK_THROWS_AS(split_url("ftp://x/y", "--alert-webhook"), logad::UsageError);
    try {
        split_url("hooks.example.org/services/abcdefSECRET", "--alert-webhook");
    } catch (const logad::UsageError& e) {
        CHECK(std::string(e.what()).find("abcdefSECRET") == std::string::npos);
    }
}

TEST_CASE("listen addresses", "[ops]") {
    CHECK(parse_listen_address("127.0.0.1:9464", "x").host == "127.0.0.1");
    CHECK(parse_listen_address("127.0.0.1:9464", "x").port == 9464);
    CHECK(parse_listen_address(":9464", "x").host == "127.0.0.1");  // a bare port is this machine only
    CHECK(parse_listen_address("9464", "x").host == "127.0.0.1");
    CHECK(parse_listen_address("9464", "x").port == 9464);
    CHECK(parse_listen_address("0.0.0.0:9464", "x").host == "0.0.0.0");
    CHECK(parse_listen_address("[::1]:0", "x").host == "::1");
    CHECK_THROWS_AS(parse_listen_address("localhost:http", "x"), logad::UsageError);
    CHECK_THROWS_AS(parse_listen_address("1.2.3.4:70000", "x"), logad::UsageError);
    CHECK_THROWS_AS(parse_listen_address("::1:80", "x"), logad::UsageError);
}

TEST_CASE("an incident's Alertmanager alert stays active while it is open and is resolved when it closes", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertOptions o = fast(rx.url(""), AlertFormat::alertmanager);
    o.cooldown_ms = 300;  // a record's alert would end 300 ms after it; an open incident's does not
    o.resend_ms = 200;
    AlertDispatcher d(o, reg);
    logad::pipeline::Incident i;
    i.id = 1;
    i.kind = "new_template";
    i.template_id = 5;
    i.records = 1;
    i.reasons = {"template 5 was never seen in training"};
    i.examples = {"kernel: disk error"};
    d.offer(i);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // four cool-downs: still open
    for (const auto& r : rx.received()) {
        const auto j = nlohmann::json::parse(r.body);
        REQUIRE(j.size() == 1);
        CHECK(j[0].at("endsAt").get<std::string>() > rfc3339(r.wall_ms));  // active
        CHECK(j[0].at("labels").at("per") == "incident");
    }
    CHECK(!rx.received().empty());
    i.state = logad::pipeline::Incident::State::closed;
    i.records = 40;
    d.offer(i);
    d.finish();
    const auto got = rx.received();
    const auto last = nlohmann::json::parse(got.back().body);
    REQUIRE(last.size() == 1);
    CHECK(last[0].at("endsAt").get<std::string>() <= rfc3339(got.back().wall_ms));  // resolved
    CHECK(last[0].at("annotations").at("occurrences") == "40");
    CHECK(d.stats().sent == 1);
}

TEST_CASE("an incident that closes before its alert goes out is sent once, resolved, never as an empty array", "[ops][alerts]") {
    Receiver rx;
    Registry reg;
    AlertOptions o = fast(rx.url(""), AlertFormat::alertmanager);
    o.group_ms = 500;  // the close comes while the opening alert still waits to be grouped
    AlertDispatcher d(o, reg);
    logad::pipeline::Incident i;
    i.id = 1;
    i.kind = "burst";
    i.key = "host-a";
    i.records = 3;
    d.offer(i);
    i.state = logad::pipeline::Incident::State::closed;
    d.offer(i);
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    d.finish();
    const auto got = rx.received();
    REQUIRE(!got.empty());
    for (const auto& r : got) CHECK(nlohmann::json::parse(r.body).size() == 1);
    const auto last = nlohmann::json::parse(got.back().body);
    CHECK(last[0].at("endsAt").get<std::string>() <= rfc3339(got.back().wall_ms));
    CHECK(d.stats().sent == 1);
}
