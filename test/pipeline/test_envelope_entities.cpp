// The entities envelopes carry (lib/parse/json_envelopes.hpp, text_envelopes.cpp) are the
// components windows count and baseline per entity (window_tally.hpp's component_of), whatever
// the source calls them.
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/window_tally.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace logad;

namespace {

std::string component_after_parse(std::string_view line) {
    const auto format = parse::make_format({});
    Record r;
    REQUIRE(format->parse(line, r).kind == parse::LineResult::record);
    return std::string(pipeline::component_of(r));
}

}  // namespace

TEST_CASE("envelope entities are the components of window signals", "[pipeline][envelope]") {
    CHECK(component_after_parse(R"([pod/cart-5f7b-hx2lq/cart] {"level":"info","msg":"cart saved"})") == "cart-5f7b-hx2lq");
    CHECK(component_after_parse(R"({"__REALTIME_TIMESTAMP":"1714557600000000","_SYSTEMD_UNIT":"nginx.service","_HOSTNAME":"web-01","MESSAGE":"ok"})") ==
          "nginx.service");
    CHECK(component_after_parse(R"({"_index":"logs","_id":"1","_source":{"message":"ok","service":{"name":"checkout"},"host":{"name":"node-1"}}})") ==
          "checkout");
    CHECK(component_after_parse(R"({"_index":"logs","_id":"1","_source":{"message":"ok","host.name":"node-1"}})") == "node-1");
    CHECK(component_after_parse(R"({"insertId":"1","resource":{"labels":{"pod_name":"web-6d4"},"type":"k8s_container"},"textPayload":"ok","timestamp":"2024-05-01T10:00:00Z"})") ==
          "web-6d4");
}
