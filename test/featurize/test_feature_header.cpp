// The header that announces a feature-row stream: its members, and the feature space it
// carries read back equal.
#include <logad/featurize/feature_header.hpp>

#include <logad/featurize/feature_space.hpp>
#include <logad/featurize/featurizers.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::featurize;

namespace {

FeatureSpace header_test_space() {
    FeatureSpaceBuilder b({4, 8});
    for (int i = 0; i < 20; ++i) {
        Event e;
        e.template_id = 1 + static_cast<std::uint32_t>(i % 3);
        e.template_text = "Order <*> created";
        e.record.ts_ms = i * 1000;
        e.record.line = static_cast<std::uint64_t>(i + 1);
        e.record.level = Level::info;
        e.record.message = "Order 7 created";
        e.params = {{"7", ParamKind::number}};
        b.add(e);
    }
    return b.build();
}

}  // namespace

TEST_CASE("feature header: announces the rows per window, per session and per line", "[featurize][header]") {
    const FeatureSpace space = header_test_space();
    const WindowOptions window{60000, 30000};
    const SessionOptions session{1800000, 100};

    const auto w = nlohmann::json::parse(feature_header_json(space, Granularity::window, window, "", session));
    CHECK(w.at("per") == "window");
    CHECK(w.at("names") == space.feature_names(Granularity::window));
    CHECK(w.at("window_ms") == 60000);
    CHECK(w.at("slide_ms") == 30000);
    CHECK_FALSE(w.contains("key"));
    CHECK(FeatureSpace::from_json(w.at("feature_space")).to_json() == space.to_json());

    const auto s = nlohmann::json::parse(feature_header_json(space, Granularity::session, window, "blk_-?\\d+", session));
    CHECK(s.at("per") == "session");
    CHECK(s.at("key") == "blk_-?\\d+");
    CHECK(s.at("idle_ms") == 1800000);
    CHECK_FALSE(s.contains("window_ms"));

    const std::string l = feature_header_json(space, Granularity::line, window, "", session);
    CHECK(l.find('\n') == std::string::npos);  // one NDJSON line
    CHECK(nlohmann::json::parse(l).at("names") == space.feature_names(Granularity::line));
}
