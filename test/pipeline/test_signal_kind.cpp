#include <logad/pipeline/signal.hpp>
#include <logad/pipeline/signal_kind.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace logad::pipeline;

TEST_CASE("signal kinds and their wire names are one table", "[pipeline]") {
    std::set<std::string_view> names;
    for (const SignalKind kind : all_signal_kinds()) {
        const std::string_view name = signal_name(kind);
        INFO(name);
        CHECK(names.insert(name).second);
        CHECK(signal_from_name(name) == kind);
        CHECK(signal_detector(kind) == "signal:" + std::string(name));
        CHECK(signal_of_detector(signal_detector(kind)) == kind);
    }
    // The names records have always carried.
    CHECK(names == std::set<std::string_view>{"new_template", "param_range", "field_range", "burst", "silence",
                                              "level_shift", "status_share", "scan", "sequence"});
    CHECK_FALSE(signal_of_detector("iforest"));
    CHECK_FALSE(signal_of_detector("feedback"));
    CHECK_FALSE(signal_of_detector("signal:unheard_of"));
    CHECK_FALSE(signal_from_name("signal:burst"));
    CHECK(is_signal_detector("signal:unheard_of"));
}

TEST_CASE("the signal factory makes each kind's signal, judging its granularity", "[pipeline]") {
    using logad::featurize::Granularity;
    for (const SignalKind kind : all_signal_kinds()) {
        INFO(signal_name(kind));
        const auto signal = make_signal(kind);
        REQUIRE(signal != nullptr);
        CHECK(signal->kind() == kind);
        const Granularity expected = kind == SignalKind::new_template || kind == SignalKind::param_range ||
                                             kind == SignalKind::field_range
                                         ? Granularity::line
                                     : kind == SignalKind::sequence ? Granularity::session
                                                                    : Granularity::window;
        CHECK(signal->per() == expected);
    }
}
