// Envelopes auto mode unwraps (lib/parse/json_envelopes.hpp, text_envelopes.cpp): the envelope's
// time, level and entities map to the record, its other members become fields, and the log line
// inside is parsed in its own format (JSON or text) as the inner record.
#include <logad/parse/line_format.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace logad;
using parse::LineResult;

namespace {

struct Unwrapped {
    LineResult::Kind kind;
    Record rec;
};

Unwrapped unwrap(std::string_view line, const std::string& format = "auto") {
    parse::FormatOptions o;
    o.format = format;
    o.year = 2024;
    const auto f = parse::make_format(o);
    Unwrapped u{};
    u.kind = f->parse(line, u.rec).kind;
    return u;
}

std::string envelope_field(const Record& r, std::string_view key) {
    for (const Field& f : r.fields)
        if (f.key == key) return f.value;
    return "<none>";
}

constexpr std::int64_t k_t0 = 1714557600000;  // 2024-05-01T10:00:00Z

}  // namespace

TEST_CASE("Docker json-file: the log line inside is parsed in its own format", "[parse][envelope]") {
    const auto text = unwrap(R"({"log":"2024-05-01 10:00:00,123 ERROR [main] db: connection refused\n","stream":"stderr","time":"2024-05-01T10:00:00.5Z"})");
    CHECK(text.kind == LineResult::record);
    CHECK(text.rec.level == Level::error);
    CHECK(text.rec.ts_ms == k_t0 + 123);  // the inner time wins
    CHECK(text.rec.message == "[main] db: connection refused");
    CHECK(envelope_field(text.rec, "stream") == "stderr");

    const auto json = unwrap(R"({"log":"{\"level\":\"warn\",\"msg\":\"slow\",\"latency_ms\":900}\n","stream":"stdout","time":"2024-05-01T10:00:01Z"})");
    CHECK(json.rec.level == Level::warn);
    CHECK(json.rec.message == "slow");
    CHECK(json.rec.ts_ms == k_t0 + 1000);  // none inside: the envelope's
    CHECK(envelope_field(json.rec, "latency_ms") == "900");
    CHECK(envelope_field(json.rec, "stream") == "stdout");

    // the same with --format json
    CHECK(unwrap(R"({"log":"{\"msg\":\"x\"}\n","stream":"stdout"})", "json").rec.message == "x");
}

TEST_CASE("CloudWatch events: message parsed inside, stream kept, transport fields dropped", "[parse][envelope]") {
    const auto e = unwrap(R"({"logStreamName":"ecs/api/7f3c","timestamp":1714557600123,"message":"{\"level\":\"error\",\"msg\":\"db down\",\"status\":503}","ingestionTime":1714557600400,"eventId":"3700"})");
    CHECK(e.kind == LineResult::record);
    CHECK(e.rec.message == "db down");
    CHECK(e.rec.level == Level::error);
    CHECK(e.rec.ts_ms == k_t0 + 123);
    CHECK(envelope_field(e.rec, "log_stream") == "ecs/api/7f3c");
    CHECK(envelope_field(e.rec, "status") == "503");
    CHECK(envelope_field(e.rec, "eventId") == "<none>");
    CHECK(envelope_field(e.rec, "ingestionTime") == "<none>");
    // a Lambda runtime line inside
    const auto lambda = unwrap("{\"logStreamName\":\"2024/05/01/[$LATEST]ab\",\"timestamp\":1714557600000,\"message\":"
                               "\"2024-05-01T10:00:00.125Z\\t3f2a6c1e-8d4b-4a7e-9b1f-2c3d4e5f6a7b\\tERROR\\tcard declined\","
                               "\"eventId\":\"1\"}");
    CHECK(lambda.rec.message == "card declined");
    CHECK(lambda.rec.level == Level::error);
    CHECK(envelope_field(lambda.rec, "request_id") == "3f2a6c1e-8d4b-4a7e-9b1f-2c3d4e5f6a7b");
}

TEST_CASE("Elasticsearch hits: nested and dotted ECS give the same record", "[parse][envelope]") {
    const auto nested = unwrap(R"({"_index":"logs","_id":"a1","_score":1.0,"_source":{"@timestamp":"2024-05-01T10:00:00.000Z","log":{"level":"error","logger":"http"},"message":"circuit open","service":{"name":"checkout"},"host":{"name":"node-1"},"ecs":{"version":"8.11.0"}},"sort":[1]})");
    const auto dotted = unwrap(R"({"_index":"logs","_id":"a1","_source":{"@timestamp":"2024-05-01T10:00:00.000Z","log.level":"error","log.logger":"http","message":"circuit open","service.name":"checkout","host.name":"node-1","ecs.version":"8.11.0"}})");
    for (const auto* u : {&nested, &dotted}) {
        CHECK(u->kind == LineResult::record);
        CHECK(u->rec.message == "circuit open");
        CHECK(u->rec.level == Level::error);
        CHECK(u->rec.ts_ms == k_t0);
        CHECK(envelope_field(u->rec, "service") == "checkout");
        CHECK(envelope_field(u->rec, "host") == "node-1");
        CHECK(envelope_field(u->rec, "log.logger") == "http");
        CHECK(envelope_field(u->rec, "_index") == "logs");
        CHECK(envelope_field(u->rec, "_score") == "<none>");  // the query's, not the log's
    }
    // Filebeat ships the raw line in `message`: it is parsed too
    const auto raw = unwrap(R"({"_index":"filebeat","_source":{"@timestamp":"2024-05-01T10:00:09Z","message":"2024-05-01 10:00:00,123 WARN [pool] queue full","host":{"name":"web-2"}}})");
    CHECK(raw.rec.level == Level::warn);
    CHECK(raw.rec.message == "[pool] queue full");
    CHECK(raw.rec.ts_ms == k_t0 + 123);
    CHECK(envelope_field(raw.rec, "host") == "web-2");
}

TEST_CASE("Cloud Logging entries: severity, payloads and resource labels", "[parse][envelope]") {
    const auto text = unwrap(R"({"insertId":"x1","logName":"projects/p/logs/stdout","resource":{"labels":{"pod_name":"web-6d4","container_name":"web","namespace_name":"default"},"type":"k8s_container"},"severity":"ERROR","textPayload":"upstream reset","timestamp":"2024-05-01T10:00:00.250Z"})");
    CHECK(text.rec.message == "upstream reset");
    CHECK(text.rec.level == Level::error);
    CHECK(text.rec.ts_ms == k_t0 + 250);
    CHECK(envelope_field(text.rec, "pod") == "web-6d4");
    CHECK(envelope_field(text.rec, "container") == "web");
    CHECK(envelope_field(text.rec, "resource.labels.namespace_name") == "default");
    CHECK(envelope_field(text.rec, "resource.type") == "k8s_container");
    CHECK(envelope_field(text.rec, "insertId") == "<none>");

    const auto json = unwrap(R"({"jsonPayload":{"message":"cart updated","items":3},"logName":"projects/p/logs/run","resource":{"labels":{"service_name":"cart"},"type":"cloud_run_revision"},"severity":"WARNING","timestamp":"2024-05-01T10:00:00Z"})");
    CHECK(json.rec.message == "cart updated");
    CHECK(json.rec.level == Level::warn);
    CHECK(envelope_field(json.rec, "service") == "cart");
    CHECK(envelope_field(json.rec, "items") == "3");
}

TEST_CASE("journald export: MESSAGE parsed inside, unit and host as entities, cursors dropped", "[parse][envelope]") {
    const auto j = unwrap(R"({"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1714557600123456","__MONOTONIC_TIMESTAMP":"52000","PRIORITY":"6","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"nginx","_PID":"1023","_SYSTEMD_UNIT":"nginx.service","MESSAGE":"2024/05/01 10:00:00 [warn] 1023#1023: upstream buffered"})");
    CHECK(j.rec.level == Level::warn);  // the line's own level beats PRIORITY 6
    CHECK(j.rec.message == "1023#1023: upstream buffered");
    CHECK(envelope_field(j.rec, "service") == "nginx.service");
    CHECK(envelope_field(j.rec, "host") == "web-01");
    CHECK(envelope_field(j.rec, "app") == "nginx");
    CHECK(envelope_field(j.rec, "pid") == "1023");
    CHECK(envelope_field(j.rec, "__CURSOR") == "<none>");
    CHECK(envelope_field(j.rec, "__MONOTONIC_TIMESTAMP") == "<none>");
    const auto plain = unwrap(R"({"__REALTIME_TIMESTAMP":"1714557600000000","PRIORITY":"3","MESSAGE":"Connection closed"})");
    CHECK(plain.rec.level == Level::error);  // PRIORITY fills in
    CHECK(plain.rec.ts_ms == k_t0);
}

TEST_CASE("kubectl logs --prefix: pod and container, the rest parsed in its own format", "[parse][envelope]") {
    const auto access = unwrap(R"([pod/web-1/nginx] 10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 503 12 "-" "curl")");
    CHECK(access.kind == LineResult::record);
    CHECK(envelope_field(access.rec, "pod") == "web-1");
    CHECK(envelope_field(access.rec, "container") == "nginx");
    CHECK(envelope_field(access.rec, "status") == "503");
    CHECK(access.rec.ts_ms == k_t0);
    const auto json = unwrap(R"([pod/api-2/app] {"level":"error","msg":"boom","ts":"2024-05-01T10:00:02Z"})");
    CHECK(json.rec.message == "boom");
    CHECK(json.rec.level == Level::error);
    CHECK(envelope_field(json.rec, "pod") == "api-2");
    // not a kubectl prefix: a bracketed word, a missing container
    CHECK(envelope_field(unwrap("[pod/x] hello").rec, "pod") == "<none>");
    CHECK(envelope_field(unwrap("[Sun Dec 04 04:47:44 2005] [notice] ok").rec, "pod") == "<none>");
}

TEST_CASE("aws logs tail: time and stream, the message parsed inside", "[parse][envelope]") {
    const auto t = unwrap("2024-05-01T10:00:00.125000+00:00 ecs/api/7f3c {\"level\":\"error\",\"msg\":\"db down\"}");
    CHECK(t.rec.ts_ms == k_t0 + 125);
    CHECK(t.rec.level == Level::error);
    CHECK(t.rec.message == "db down");
    CHECK(envelope_field(t.rec, "log_stream") == "ecs/api/7f3c");
    const auto start = unwrap("2024-05-01T10:00:00.000000+00:00 2024/05/01/[$LATEST]4f1c START RequestId: 52e6 Version: $LATEST");
    CHECK(start.rec.message == "START RequestId: 52e6 Version: $LATEST");
    CHECK(envelope_field(start.rec, "log_stream") == "2024/05/01/[$LATEST]4f1c");
    // an application's own line with the same clock: its second word is a level, not a stream
    CHECK(envelope_field(unwrap("2024-05-01T10:00:00.000000+00:00 ERROR disk full").rec, "log_stream") == "<none>");
}

TEST_CASE("envelopes unwrap one level deep and never trust member types", "[parse][envelope]") {
    // a Docker line whose log is itself a Docker line: the inner one is read as plain JSON
    const auto nested = unwrap(R"({"log":"{\"log\":\"x\\n\",\"stream\":\"stdout\"}\n","stream":"stdout"})");
    CHECK(nested.kind == LineResult::record);
    CHECK(nested.rec.message == "x");
    // the inner line kept its stream as JSON text: read as a plain record, not unwrapped again
    CHECK(std::count_if(nested.rec.fields.begin(), nested.rec.fields.end(),
                        [](const Field& f) { return f.key == "stream" && f.json && f.value == "\"stdout\""; }) == 1);
    // members of the wrong type: read as plain JSON records, no crash
    for (const char* line : {R"({"_source":5,"_index":"x"})", R"({"message":5,"timestamp":1,"eventId":1})",
                             R"({"MESSAGE":null,"__REALTIME_TIMESTAMP":"x"})", R"({"log":7,"stream":"stdout"})",
                             R"({"textPayload":1,"logName":2})", R"({"_source":{},"_id":1})", R"({"ecs":{"version":{}}})"}) {
        INFO(line);
        const auto u = unwrap(line);
        CHECK(u.kind != LineResult::no_match);
    }
}

TEST_CASE("a shipper's `log` member without Docker's stream is still the message", "[parse][envelope]") {
    const auto fluent = unwrap(R"({"log":"worker started\n","kubernetes":{"pod_name":"w-1"}})");
    CHECK(fluent.kind == LineResult::record);
    CHECK(fluent.rec.message == "worker started");
}
