#include <logad/receive/otlp_logs.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

std::vector<nlohmann::json> otlp_lines(const std::string& body, logad::receive::OtlpConversion* result = nullptr) {
    std::vector<nlohmann::json> out;
    const auto r = logad::receive::otlp_logs_to_lines(body, [&](std::string_view line) {
        out.push_back(nlohmann::json::parse(line));
    });
    if (result) *result = r;
    return out;
}

// As the OpenTelemetry JavaScript SDK's OTLP/HTTP JSON exporter writes a request.
const char* k_request = R"({"resourceLogs":[{"resource":{"attributes":[
  {"key":"service.name","value":{"stringValue":"checkout"}},
  {"key":"host.name","value":{"stringValue":"web-7"}},
  {"key":"process.pid","value":{"intValue":"4242"}}]},
 "scopeLogs":[{"scope":{"name":"orders","version":"1.0"},"logRecords":[
  {"timeUnixNano":"1796634000123456789","observedTimeUnixNano":"1796634000200000000","severityNumber":17,
   "severityText":"","body":{"stringValue":"payment failed"},
   "attributes":[{"key":"order.id","value":{"intValue":"981"}},{"key":"retry","value":{"boolValue":true}},
                 {"key":"message","value":{"stringValue":"shadowed"}}],
   "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},
  {"observedTimeUnixNano":"1796634001000000000","severityText":"Warning",
   "body":{"kvlistValue":{"values":[{"key":"a","value":{"doubleValue":1.5}}]}}},
  {"body":{"stringValue":"no time, no level"}},
  42]}]}]})";

}  // namespace

TEST_CASE("OTLP/JSON log records become JSON lines: time, level, message, resource and record attributes", "[receive]") {
    logad::receive::OtlpConversion r;
    const auto lines = otlp_lines(k_request, &r);
    CHECK(r.error.empty());
    CHECK(r.records == 3);
    CHECK(r.rejected == 1);  // 42 is not a log record
    REQUIRE(lines.size() == 3);
    const auto& a = lines[0];
    CHECK(a["time"] == "2026-12-07T09:00:00.123Z");
    CHECK(a["level"] == "ERROR");  // severityNumber 17-20, severityText empty
    CHECK(a["message"] == "payment failed");
    CHECK(a["service.name"] == "checkout");
    CHECK(a["host.name"] == "web-7");
    CHECK(a["process.pid"] == 4242);
    CHECK(a["otel.scope.name"] == "orders");
    CHECK(a["order.id"] == 981);
    CHECK(a["retry"] == true);
    CHECK(a["attributes.message"] == "shadowed");
    CHECK(a["trace_id"] == "5b8efff798038103d269b633813fc60c");
    CHECK(a["span_id"] == "eee19b7ec3c1b174");
    const auto& b = lines[1];
    CHECK(b["time"] == "2026-12-07T09:00:01.000Z");  // observed time when the event time is 0
    CHECK(b["level"] == "Warning");                  // severityText as the sender wrote it
    CHECK(b["message"] == nlohmann::json({{"a", 1.5}}));
    CHECK_FALSE(lines[2].contains("time"));
    CHECK_FALSE(lines[2].contains("level"));
}

TEST_CASE("OTLP/JSON: severity numbers map to levels by range", "[receive]") {
    const std::pair<int, const char*> cases[] = {{1, "TRACE"}, {5, "DEBUG"}, {9, "INFO"}, {12, "INFO"},
                                                 {13, "WARN"}, {20, "ERROR"}, {21, "FATAL"}};
    for (const auto& [n, name] : cases) {
        const std::string body = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":)" + std::to_string(n) +
                                 R"(,"body":{"stringValue":"x"}}]}]}]})";
        const auto lines = otlp_lines(body);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]["level"] == name);
    }
}

TEST_CASE("OTLP/JSON: bodies that are not a logs request are refused whole", "[receive]") {
    const std::vector<std::string> bad_bodies = {"not json", "[1,2]", R"({"resourceLogs": 5})",
                                                 std::string(5000, '[') + std::string(5000, ']')};
    for (const std::string& bad : bad_bodies) {
        logad::receive::OtlpConversion r;
        const auto lines = otlp_lines(bad, &r);
        CHECK(lines.empty());
        CHECK_FALSE(r.error.empty());
    }
    logad::receive::OtlpConversion r;
    CHECK(otlp_lines("{}", &r).empty());  // an empty request is valid
    CHECK(r.error.empty());
    // Numbers out of any range are no time, no level, not a crash.
    const auto odd = otlp_lines(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1e300,)"
                                R"("severityNumber":-5,"body":{"intValue":"99999999999999999999"}}]}]}]})", &r);
    REQUIRE(odd.size() == 1);
    CHECK_FALSE(odd[0].contains("time"));
    CHECK_FALSE(odd[0].contains("level"));
    CHECK(r.error.empty());
}
