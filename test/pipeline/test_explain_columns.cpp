// Explanations speak every column the way its table entry says (featurize/columns.hpp): the
// phrase, the unit of the training range and the inverse of the stored transform come from
// the table, not from the column's name.
#include <logad/featurize/columns.hpp>
#include <logad/pipeline/scorer.hpp>

#include <catch2/catch.hpp>

#include <fmt/args.h>
#include <fmt/core.h>

#include <cmath>

using namespace logad;
using namespace logad::pipeline;
using featurize::Granularity;

namespace {

featurize::FeatureSpace explained_space() {
    featurize::FeatureSpaceBuilder b({4, 8});
    for (int i = 0; i < 40; ++i) {
        Event e;
        e.template_id = 1 + i % 3;
        e.template_text = "Job <*> done";
        e.record.message = "Job 1 done";
        e.record.line = i;
        b.add(e);
    }
    return b.build();
}

Part explained_part(const featurize::FeatureSpace& space, Granularity per) {
    Part p;
    p.per = per;
    p.model.feature_names = space.feature_names(per);
    const std::size_t width = space.width(per);
    p.center.assign(width, 0.0);
    p.scale.assign(width, 1.0);
    p.low.assign(width, 0.0);
    p.high.assign(width, 2.0);
    p.mean.assign(width, 0.0);
    p.rows = 40;
    return p;
}

}  // namespace

TEST_CASE("each phrase column of the window and session tables is said by its table phrase", "[pipeline]") {
    PipelineModel m;
    m.space = explained_space();
    m.train.window_ms = 60000;
    for (const Granularity per : {Granularity::window, Granularity::session}) {
        const Part part = explained_part(m.space, per);
        const featurize::ColumnLayout layout = m.space.layout(per);
        for (const featurize::ColumnSpec& spec : featurize::column_table(per)) {
            if (spec.block != featurize::Block::one || spec.speech != featurize::Speech::phrase) continue;
            INFO(spec.name);
            featurize::FeatureRow row;
            row.granularity = per;
            row.values.assign(layout.width(), 0.0);
            row.values[layout.at(spec.column)] = 500;
            const auto reasons = explain_row(m, part, row, nullptr, 1);
            REQUIRE(reasons.size() == 1);
            const std::string span = per == Granularity::session ? "in the session" : "in 60 s";
            const std::string phrase = fmt::format(fmt::runtime(spec.phrase), fmt::arg("value", "500"), fmt::arg("template", ""),
                                                   fmt::arg("span", span), fmt::arg("level", ""));
            CHECK(reasons[0].starts_with(phrase));
            if (spec.unit) CHECK(reasons[0] == fmt::format("{}, training median 0{}, range 0 to 2{}", phrase, *spec.unit, *spec.unit));
        }
    }
}

TEST_CASE("a line column stored as log1p is said in its own unit", "[pipeline]") {
    PipelineModel m;
    m.space = explained_space();
    Part part = explained_part(m.space, Granularity::line);
    const featurize::ColumnLayout layout = m.space.layout(Granularity::line);
    const std::size_t at = layout.at(featurize::Column::message_length);
    const featurize::Transform stored = featurize::column_spec(Granularity::line, featurize::Column::message_length).transform;
    part.center[at] = featurize::to_stored(stored, 80);
    part.low[at] = featurize::to_stored(stored, 12);
    part.high[at] = featurize::to_stored(stored, 1500);
    featurize::FeatureRow row;
    row.template_id = 1;
    row.values.assign(layout.width(), 0.0);
    for (std::size_t i = 0; i < row.values.size(); ++i) row.values[i] = part.center[i];
    row.values[at] = featurize::to_stored(stored, 9000);
    const auto reasons = explain_row(m, part, row, nullptr, 1);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0] == "message of 9000 bytes, training median 80 bytes, range 12 to 1500 bytes");
}
