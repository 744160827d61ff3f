// OTLP logs in the protobuf encoding: the same data gives the same lines as its OTLP/JSON form
// (hand-encoded requests against hand-written JSON, through the two entry points and over real
// HTTP), unknown fields of every wire type are skipped, and malformed bodies are refused with a
// reason and no line.
#include <logad/receive/line_queue.hpp>
#include <logad/receive/otlp_logs.hpp>
#include <logad/receive/otlp_receiver.hpp>

#include "../oracle.hpp"
#include "protobuf_encoder.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace logad::receive;
namespace pb = logad::test::pb;

struct Lines {
    std::vector<std::string> lines;
    OtlpConversion result;
};

Lines from_json(const std::string& body) {
    Lines out;
    out.result = otlp_logs_to_lines(body, [&](std::string_view line) { out.lines.emplace_back(line); });
    return out;
}

Lines from_protobuf(const std::string& body) {
    Lines out;
    out.result = otlp_protobuf_logs_to_lines(body, [&](std::string_view line) { out.lines.emplace_back(line); });
    return out;
}

// Fields logad does not read, one of each wire type, to be skipped wherever they appear.
std::string unknown_fields() {
    return pb::uint_field(99, 300) + pb::fixed64_field(98, 0x0102030405060708) + pb::bytes_field(97, "\x0a\x02junk") +
           pb::fixed32_field(96, 0xdeadbeef);
}

std::string kv(std::string_view key, const std::string& any_value) { return pb::key_value(key, any_value + unknown_fields()); }

std::string request_protobuf() {
    const std::string resource = pb::bytes_field(1, kv("service.name", pb::string_value("checkout"))) +
                                 pb::bytes_field(1, kv("host.name", pb::string_value("web-7"))) + unknown_fields() +
                                 pb::bytes_field(1, kv("process.pid", pb::int_value(4242)));
    const std::string scope = pb::bytes_field(1, "orders") + pb::bytes_field(2, "1.0") + unknown_fields();
    const std::string tags = pb::list_item(pb::string_value("a")) + pb::list_item(pb::int_value(-3)) +
                             pb::list_item(pb::kvlist_value(pb::list_item(kv("k", pb::bool_value(false))))) + unknown_fields();
    const std::string ctx = pb::list_item(kv("user", pb::string_value("ann"))) + unknown_fields() +
                            pb::list_item(kv("n", pb::double_value(-1.5)));
    const std::string first = pb::fixed64_field(1, 1796634000123456789ULL) + pb::fixed64_field(11, 1796634000200000000ULL) +
                              pb::uint_field(2, 17) + pb::bytes_field(5, pb::string_value("payment failed")) +
                              pb::bytes_field(6, kv("order.id", pb::int_value(981))) +
                              pb::bytes_field(6, kv("retry", pb::bool_value(true))) +
                              pb::bytes_field(6, kv("ratio", pb::double_value(0.25))) +
                              pb::bytes_field(6, kv("blob", pb::bytes_value(std::string("\x00\x01\xfe\xff", 4)))) +
                              pb::bytes_field(6, kv("tags", pb::array_value(tags))) +
                              pb::bytes_field(6, kv("ctx", pb::kvlist_value(ctx))) +
                              pb::bytes_field(6, kv("message", pb::string_value("shadowed"))) +
                              pb::bytes_field(9, "\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c") +
                              pb::bytes_field(10, "\xee\xe1\x9b\x7e\xc3\xc1\xb1\x74") +
                              pb::fixed32_field(8, 1) + pb::uint_field(7, 2) + pb::bytes_field(12, "event") + unknown_fields();
    const std::string body_list = pb::list_item(kv("a", pb::double_value(1.5))) +
                                  pb::list_item(kv("b", pb::array_value(pb::list_item(pb::bool_value(true)) +
                                                                       pb::list_item(pb::int_value(-5)) +
                                                                       pb::list_item(pb::bytes_value("hi"))))) +
                                  pb::list_item(pb::bytes_field(1, "c") + pb::bytes_field(2, ""));
    const std::string second = unknown_fields() + pb::fixed64_field(11, 1796634001000000000ULL) + pb::int_field(2, 13) +
                               pb::bytes_field(3, "Warning") + pb::bytes_field(5, pb::kvlist_value(body_list)) +
                               pb::bytes_field(6, kv("min", pb::int_value(std::numeric_limits<std::int64_t>::min()))) +
                               pb::bytes_field(6, kv("nan", pb::double_value(std::nan("")))) +
                               pb::bytes_field(6, kv("inf", pb::double_value(-HUGE_VAL))) +
                               pb::bytes_field(6, kv("level", pb::string_value("shadowed too"))) +
                               pb::bytes_field(6, pb::bytes_field(1, "no value"));
    // A oneof set twice: the last member wins. A negative severity number is no level.
    const std::string third = pb::bytes_field(5, pb::string_value("first") + pb::int_value(7)) + pb::int_field(2, -1);
    const std::string scope_logs = pb::bytes_field(1, scope) + unknown_fields() + pb::bytes_field(2, first) +
                                   pb::bytes_field(2, second) + pb::bytes_field(2, third);
    const std::string resource_logs = pb::bytes_field(1, resource) + pb::bytes_field(2, scope_logs) +
                                      pb::bytes_field(3, "https://opentelemetry.io/schemas/1.24.0") + unknown_fields();
    // A second ResourceLogs without a resource, its scope without a name.
    const std::string bare = pb::bytes_field(2, pb::bytes_field(1, "") + pb::bytes_field(2, pb::bytes_field(5, pb::string_value("bare"))));
    return unknown_fields() + pb::bytes_field(1, resource_logs) + pb::bytes_field(1, bare);
}

// The same request as an OTLP/JSON exporter writes it.
const char* k_request_json = R"({"resourceLogs":[
 {"resource":{"attributes":[
   {"key":"service.name","value":{"stringValue":"checkout"}},
   {"key":"host.name","value":{"stringValue":"web-7"}},
   {"key":"process.pid","value":{"intValue":"4242"}}]},
  "scopeLogs":[{"scope":{"name":"orders","version":"1.0"},"logRecords":[
   {"timeUnixNano":"1796634000123456789","observedTimeUnixNano":"1796634000200000000","severityNumber":17,
    "body":{"stringValue":"payment failed"},
    "attributes":[{"key":"order.id","value":{"intValue":"981"}},{"key":"retry","value":{"boolValue":true}},
      {"key":"ratio","value":{"doubleValue":0.25}},{"key":"blob","value":{"bytesValue":"AAH+/w=="}},
      {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"-3"},
        {"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}}]}}},
      {"key":"ctx","value":{"kvlistValue":{"values":[{"key":"user","value":{"stringValue":"ann"}},
        {"key":"n","value":{"doubleValue":-1.5}}]}}},
      {"key":"message","value":{"stringValue":"shadowed"}}],
    "droppedAttributesCount":2,"flags":1,"eventName":"event",
    "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"},
   {"observedTimeUnixNano":"1796634001000000000","severityNumber":13,"severityText":"Warning",
    "body":{"kvlistValue":{"values":[{"key":"a","value":{"doubleValue":1.5}},
      {"key":"b","value":{"arrayValue":{"values":[{"boolValue":true},{"intValue":"-5"},{"bytesValue":"aGk="}]}}},
      {"key":"c","value":{}}]}},
    "attributes":[{"key":"min","value":{"intValue":"-9223372036854775808"}},{"key":"nan","value":{"doubleValue":"NaN"}},
      {"key":"inf","value":{"doubleValue":"-Infinity"}},{"key":"level","value":{"stringValue":"shadowed too"}},
      {"key":"no value"}]},
   {"body":{"intValue":"7"},"severityNumber":-1}]}],
  "schemaUrl":"https://opentelemetry.io/schemas/1.24.0"},
 {"scopeLogs":[{"scope":{},"logRecords":[{"body":{"stringValue":"bare"}}]}]}]})";

// An AnyValue holding `levels` nested arrays around a string, in both encodings.
std::string nested_protobuf(int levels) {
    std::string v = pb::string_value("x");
    for (int i = 0; i < levels; ++i) v = pb::array_value(pb::list_item(v));
    return pb::bytes_field(1, pb::bytes_field(2, pb::bytes_field(2, pb::bytes_field(5, v))));
}

std::string nested_json(int levels) {
    std::string v = R"({"stringValue":"x"})";
    for (int i = 0; i < levels; ++i) v = R"({"arrayValue":{"values":[)" + v + "]}}";
    return R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":)" + v + "}]}]}]}";
}

std::string gzip(const std::string& plain) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(plain.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    z.avail_in = static_cast<uInt>(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> drain(LineQueue& q) {
    std::string all;
    q.take(all, std::size_t(1) << 30);
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1) lines.push_back(all.substr(at, nl - at));
    return lines;
}

}  // namespace

TEST_CASE("OTLP protobuf: every field kind gives the lines its OTLP/JSON form gives, unknown fields skipped", "[receive]") {
    const Lines json = from_json(k_request_json);
    const Lines proto = from_protobuf(request_protobuf());
    REQUIRE(json.result.error.empty());
    REQUIRE(proto.result.error.empty());
    CHECK(proto.result.records == 4);
    CHECK(proto.result.rejected == 0);
    REQUIRE(json.lines.size() == 4);
    CHECK(proto.lines == json.lines);
    // The JSON side is the oracle: check it says what the header promises.
    CHECK(json.lines[0].find(R"("trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174")") != std::string::npos);
    CHECK(json.lines[0].find(R"("blob":"AAH+/w==","tags":["a",-3,{"k":false}],"ctx":{"user":"ann","n":-1.5})") != std::string::npos);
    CHECK(json.lines[1].find(R"("message":{"a":1.5,"b":[true,-5,"aGk="],"c":null})") != std::string::npos);
    CHECK(json.lines[1].find(R"("min":-9223372036854775808,"nan":"NaN","inf":"-Infinity","attributes.level":"shadowed too","no value":null)") != std::string::npos);
    CHECK(json.lines[2] == R"({"message":7,"service.name":"checkout","host.name":"web-7","process.pid":4242,"otel.scope.name":"orders"})");
    CHECK(json.lines[3] == R"({"message":"bare"})");
}

TEST_CASE("OTLP protobuf: an empty body is a request with no records", "[receive]") {
    const Lines proto = from_protobuf("");
    CHECK(proto.result.error.empty());
    CHECK(proto.result.records == 0);
}

TEST_CASE("OTLP protobuf: nesting is bounded where the JSON path bounds it", "[receive]") {
    for (int levels : {10, 80, 81, 82, 83, 84, 85, 200, 5000}) {
        CAPTURE(levels);
        const Lines json = from_json(nested_json(levels));
        const Lines proto = from_protobuf(nested_protobuf(levels));
        CHECK(json.result.error.empty() == proto.result.error.empty());
        CHECK(proto.lines == json.lines);
        if (!proto.result.error.empty()) CHECK_THAT(proto.result.error, Catch::Contains("nested more than 256 levels deep"));
    }
}

TEST_CASE("OTLP protobuf: malformed bodies are refused with the reason and no line", "[receive]") {
    const std::string good = request_protobuf();
    const std::string eleven_byte_varint = "\x08" + std::string(10, '\xff') + "\x01";
    const std::vector<std::pair<std::string, const char*>> cases = {
        {std::string("\x0a"), "truncated varint at byte 1"},
        {std::string("\x08\x80"), "truncated varint at byte 1"},
        {std::string("\x0a\xff\xff\xff\xff\x0f"), "length 4294967295 runs past the end"},
        {std::string("\x0a\x04\x12\x02\x12\x09"), "length 9 runs past the end of its message (0 bytes left)"},  // nested
        {std::string("\x0b"), "is a group (wire type 3)"},
        {std::string("\x0c"), "is a group (wire type 4)"},
        {std::string("\x0f"), "invalid wire type 7"},
        {std::string("\x00\x00", 2), "field number 0"},
        {std::string("\x08\x01"), "field 1 of ExportLogsServiceRequest (value at byte 1) is varint, expected length-delimited"},
        {std::string("\x0a\x0b\x12\x09\x11") + std::string(8, '\0'), "field 2 of ScopeLogs (value at byte 5) is fixed64, expected length-delimited"},
        {eleven_byte_varint, "over 64 bits"},
        {good + "\x0a\x09\x12\x07", "runs past the end"},  // good records first: still no line
        {good + std::string("\x09\x01\x02\x03", 4), "8-byte value truncated"},
        {good + "\x0d\x01", "4-byte value truncated"},
    };
    for (const auto& [body, why] : cases) {
        CAPTURE(why);
        const Lines proto = from_protobuf(body);
        CHECK_THAT(proto.result.error, Catch::Contains(why));
        CHECK(proto.lines.empty());
        CHECK(proto.result.records == 0);
    }
}

TEST_CASE("OTLP receiver: protobuf bodies over real HTTP, plain and gzip, answered in protobuf", "[receive]") {
    LineQueue q({1000, 1 << 20});
    OtlpSettings s;
    s.endpoint.scheme = "http";
    s.max_body = 4096;
    OtlpReceiver otlp(s, q);
    httplib::Client c("127.0.0.1", otlp.endpoint().port);
    const std::string body = request_protobuf();
    REQUIRE(body.size() < s.max_body);
    const std::vector<std::string> expected = from_json(k_request_json).lines;

    auto r = c.Post("/v1/logs", body, "application/x-protobuf");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/x-protobuf");
    CHECK(r->body.empty());  // an ExportLogsServiceResponse with no partial success
    CHECK(drain(q) == expected);

    r = c.Post("/v1/logs", {{"Content-Encoding", "gzip"}}, gzip(body), "application/x-protobuf");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(drain(q) == expected);

    // Malformed: 400 with a google.rpc.Status in protobuf (1: code 3, 2: message).
    r = c.Post("/v1/logs", std::string("\x0a\x02", 2), "application/x-protobuf");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->get_header_value("Content-Type") == "application/x-protobuf");
    REQUIRE(r->body.size() > 4);
    CHECK(r->body.substr(0, 3) == std::string("\x08\x03\x12", 3));
    CHECK_THAT(r->body, Catch::Contains("length 2 runs past the end"));

    // Decoded gzip over max_body: refused (413 by the receiver, or 400 by httplib's own bound).
    std::string big;
    for (int i = 0; big.size() < 3 * s.max_body; ++i) big += pb::bytes_field(1, pb::bytes_field(2, pb::bytes_field(2, pb::bytes_field(5, pb::string_value("request " + std::to_string(i))))));
    const std::string packed = gzip(big);
    REQUIRE(packed.size() < s.max_body);
    r = c.Post("/v1/logs", {{"Content-Encoding", "gzip"}}, packed, "application/x-protobuf");
    REQUIRE(r);
    CHECK((r->status == 413 || r->status == 400));

    r = c.Post("/v1/logs", body, "text/plain");
    REQUIRE(r);
    CHECK(r->status == 415);
    CHECK_THAT(r->body, Catch::Contains("application/x-protobuf or application/json"));
    otlp.stop();
    CHECK(otlp.stats().messages == 8);
    CHECK(q.length() == 0);
}

// protoc as an independent encoder: test/data/otlp/otlp_logs_oracle.proto (OTLP's field numbers)
// turns request.txtpb into the bytes an exporter sends; they must read as request.json reads.
TEST_CASE("OTLP protobuf: a request encoded by protoc reads as its OTLP/JSON form", "[receive]") {
    if (std::system("protoc --version >/dev/null 2>&1") != 0) {
        LOGAD_ORACLE_MISSING("protoc not found (Debian package protobuf-compiler): cannot encode the oracle request");
        return;
    }
    const std::string dir = std::string(LOGAD_TEST_DATA) + "/otlp";
    const std::string out = "otlp_oracle_request.bin";
    const std::string cmd = "protoc --encode=oracle.ExportLogsServiceRequest -I '" + dir + "' '" + dir +
                            "/otlp_logs_oracle.proto' < '" + dir + "/request.txtpb' > " + out;
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string body = read_file(out);
    std::remove(out.c_str());
    REQUIRE(body.size() > 100);
    const Lines json = from_json(read_file(dir + "/request.json"));
    const Lines proto = from_protobuf(body);
    REQUIRE(json.result.error.empty());
    REQUIRE(proto.result.error.empty());
    REQUIRE(json.lines.size() == 4);
    CHECK(proto.lines == json.lines);
    CHECK(json.lines[0].find(R"("trace_id":"5b8efff798038103d269b633813fc60c")") != std::string::npos);
    CHECK(json.lines[1].find(R"("big":1e+300,"inf":"-Infinity")") != std::string::npos);
}
