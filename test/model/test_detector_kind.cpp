#include <logad/error.hpp>
#include <logad/model/detector.hpp>

#include <catch2/catch.hpp>

using namespace logad;
using namespace logad::model;

TEST_CASE("detector kinds and their wire names are one table", "[model]") {
    for (const std::string& name : detector_names()) {
        INFO(name);
        const auto kind = detector_kind_from_name(name);
        REQUIRE(kind);
        CHECK(detector_kind_name(*kind) == name);
        CHECK(make_detector(*kind)->kind() == *kind);
        CHECK(make_detector(name)->algo() == name);  // the name a model file saves
    }
    CHECK(detector_names() == std::vector<std::string>{"iforest", "ocsvm", "autoencoder"});
    CHECK_FALSE(detector_kind_from_name("signal:burst"));
    CHECK_THROWS_AS(make_detector("forest"), UsageError);
}
