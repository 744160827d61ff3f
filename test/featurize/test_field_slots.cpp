// Numeric fields of structured records read as parameters: typed by the same evidence as a
// message's parameter slots and read by ParamReader::read_fields, keyed by field name.
#include <logad/featurize/featurizers.hpp>
#include <logad/featurize/param_reader.hpp>

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <algorithm>

#include "../support/support.hpp"

using namespace logad;
using namespace logad::featurize;

TEST_CASE("field_param reads JSON numbers, quoted quantities and plain text with units", "[featurize]") {
    const auto number = field_param({"duration_ms", "98765.4", true});
    REQUIRE(number);
    CHECK(number->kind == ParamKind::number);
    CHECK(param_number(*number) == Approx(98765.4));
    const auto quoted = field_param({"took", "\"250ms\"", true});
    REQUIRE(quoted);
    CHECK(quoted->kind == ParamKind::duration);
    CHECK(param_number(*quoted) == Approx(250));
    const auto logfmt = field_param({"size", "1.5GB", false});
    REQUIRE(logfmt);
    CHECK(logfmt->kind == ParamKind::size);
    CHECK(param_number(*logfmt) == Approx(1.5e9));
    CHECK(field_param({"user", "\"bob\"", true})->kind == ParamKind::word);
    CHECK_FALSE(field_param({"tags", "[1,2]", true}));
    CHECK_FALSE(field_param({"ok", "true", true}));
    CHECK_FALSE(field_param({"ctx", "{\"a\":1}", true}));
}

TEST_CASE("read_fields: a field's slot follows it whatever its position, names in field order", "[featurize]") {
    FeatureSpaceBuilder b;
    for (int i = 0; i < 200; ++i) {
        Event e;
        e.template_id = 1;
        e.record.ts_ms = 1700000000000 + i * 1000;
        e.record.line = static_cast<std::uint64_t>(i + 1);
        e.record.fields = {{"latency", fmt::format("{}ms", 20 + i * 7 % 30), false}, {"note", "x", false}};
        b.add(e);
    }
    const FeatureSpace space = b.build();
    REQUIRE(space.fields.size() == 1);
    CHECK(space.fields.at("latency").kind == SlotKind::measurement);
    CHECK(space.fields.at("latency").max == Approx(49));

    ParamReader reader(space);
    Event e;
    e.template_id = 2;  // a template never seen: fields are keyed by name alone
    e.record.fields = {{"note", "y", false}, {"latency", "3s", false}};
    const auto& readings = reader.read_fields(e);
    REQUIRE(readings.size() == 1);
    CHECK(readings[0].position == 1);
    CHECK(*readings[0].field == "latency");
    CHECK(readings[0].value == Approx(3000));
    CHECK(reading_subject(readings[0]) == "field latency");
    e.record.fields = {{"latency", "30", false}};  // the position cache must not keep the old name
    REQUIRE(reader.read_fields(e).size() == 1);
    CHECK(reader.read_fields(e)[0].value == Approx(30));
}

TEST_CASE("a numeric field far out of its range is a line feature too, and the row names the field", "[featurize]") {
    // Issue 13: numeric fields become features for the detectors, not only range signals.
    FeatureSpaceBuilder b;
    for (int i = 0; i < 200; ++i) {
        Event e;
        e.template_id = 1;
        e.record.ts_ms = 1700000000000 + i * 1000;
        e.record.line = static_cast<std::uint64_t>(i + 1);
        e.record.fields = {{"duration_ms", fmt::format("{}", 20 + i * 7 % 30), true}};
        b.add(e);
    }
    const FeatureSpace space = b.build();
    test::Collect<FeatureRow> rows;
    LineFeaturizer f(space, rows);
    const auto names = space.feature_names(Granularity::line);
    const auto column = static_cast<std::size_t>(std::find(names.begin(), names.end(), "param_out_of_range") - names.begin());
    REQUIRE(column < names.size());
    for (const char* value : {"35", "98765.4"}) {
        Event e;
        e.template_id = 1;
        e.record.ts_ms = 1700000900000;
        e.record.fields = {{"duration_ms", value, true}};
        f.push(e);
    }
    REQUIRE(rows.records.size() == 2);
    CHECK(rows.records[0].values[column] == 0);
    CHECK(rows.records[0].worst_field == nullptr);
    CHECK(rows.records[1].values[column] > 5);
    REQUIRE(rows.records[1].worst_field != nullptr);
    CHECK(*rows.records[1].worst_field == "duration_ms");
    CHECK(rows.records[1].worst_param_value == Approx(98765.4));
}
