// The column tables are the one place a row's layout is said: widths, names, offsets and the
// stored transforms all come from them, and the featurizers write what the tables say.
#include <logad/featurize/columns.hpp>
#include <logad/featurize/featurizers.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include <set>

using namespace logad;
using namespace logad::featurize;

namespace {

struct ColumnRows final : Sink<FeatureRow> {
    std::vector<FeatureRow> rows;
    void push(FeatureRow& r) override { rows.push_back(r); }
    void finish() override {}
};

Event column_event(std::uint32_t id, std::int64_t ts_ms, std::uint64_t line, std::string message) {
    Event e;
    e.template_id = id;
    e.template_text = "Order <*> created";
    e.record.ts_ms = ts_ms;
    e.record.line = line;
    e.record.level = Level::warn;
    e.record.message = std::move(message);
    e.record.fields.push_back({"request_id", "r1", false});
    e.params = {{"7", ParamKind::number}};
    return e;
}

FeatureSpace column_space() {
    FeatureSpaceBuilder b({3, 8});
    for (int i = 0; i < 50; ++i) b.add(column_event(1 + i % 4, i * 1000, i, "Order 7 created"));
    return b.build();
}

constexpr Granularity k_all[] = {Granularity::line, Granularity::window, Granularity::session};

}  // namespace

TEST_CASE("every column's stored transform is undone by its inverse", "[featurize]") {
    for (const Granularity g : k_all)
        for (const ColumnSpec& c : column_table(g))
            for (const double raw : {0.0, 0.5, 1.0, 37.0, 1500.0, 86400.0, 1e9}) {
                INFO(c.name << " " << raw);
                CHECK(from_stored(c.transform, to_stored(c.transform, raw)) == Approx(raw).epsilon(1e-12));
            }
    // Heavy-tailed quantities are stored compressed, so a detector does not see a raw 1e9.
    CHECK(column_spec(Granularity::line, Column::message_length).transform == Transform::log1p);
    CHECK(column_spec(Granularity::line, Column::gap_same_template).transform == Transform::log1p);
}

TEST_CASE("the column tables give unique names, widths and offsets that tile the row", "[featurize]") {
    const FeatureSpace space = column_space();
    for (const Granularity g : k_all) {
        INFO(granularity_name(g));
        const ColumnLayout layout = space.layout(g);
        const auto names = space.feature_names(g);
        CHECK(names.size() == layout.width());
        CHECK(space.width(g) == layout.width());
        CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
        // Each name resolves back to the table entry whose block covers its index.
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto found = find_column(g, names[i]);
            REQUIRE(found);
            const std::size_t at = layout.at(found->spec->column);
            CHECK(at <= i);
            CHECK(names[at].starts_with(found->spec->name));
        }
        // Blocks are laid one after another from 0 to the width, in table order.
        std::size_t expected = 0;
        for (const ColumnSpec& c : column_table(g)) {
            CHECK(layout.at(c.column) == expected);
            expected += c.block == Block::one ? 1
                        : c.block == Block::levels ? k_levels
                        : c.block == Block::hash_buckets ? space.options.hash_buckets
                                                          : space.vocab.size();
        }
        CHECK(expected == layout.width());
    }
    CHECK_FALSE(find_column(Granularity::line, "no_such_column"));
    CHECK(find_column(Granularity::window, "count:unseen")->spec->column == Column::unseen_count);
    CHECK(find_column(Granularity::window, "count:17")->member == "17");
}

TEST_CASE("the featurizers write rows of the table's width at the table's offsets", "[featurize]") {
    const FeatureSpace space = column_space();
    ColumnRows lines, windows, sessions;
    LineFeaturizer line(space, lines);
    WindowFeaturizer window(space, {10000, 0}, windows);
    const SessionKey key("request_id");
    SessionFeaturizer session(space, key, {}, sessions);
    const std::string message(999, 'x');
    for (int i = 0; i < 30; ++i) {
        Event e = column_event(i < 25 ? 1 : 99, i * 1000, i, message);
        line.push(e);
        window.push(e);
        session.push(e);
    }
    window.finish();
    session.finish();
    REQUIRE(lines.rows.size() == 30);
    REQUIRE(!windows.rows.empty());
    REQUIRE(sessions.rows.size() == 1);

    const ColumnLayout l = space.layout(Granularity::line);
    const FeatureRow& second = lines.rows[1];
    CHECK(second.values.size() == l.width());
    const auto raw = [&](const FeatureRow& row, const ColumnLayout& layout, Granularity g, Column c) {
        return from_stored(column_spec(g, c).transform, row.values[layout.at(c)]);
    };
    CHECK(raw(second, l, Granularity::line, Column::message_length) == Approx(999));
    CHECK(raw(second, l, Granularity::line, Column::gap_same_template) == Approx(1.0));
    CHECK(second.values[l.at(Column::params)] == 1);
    CHECK(second.values[l.at(Column::level) + 3] == 1);  // warn
    CHECK(lines.rows.back().values[l.at(Column::new_template)] == 1);

    const ColumnLayout w = space.layout(Granularity::window);
    const FeatureRow& first = windows.rows.front();
    CHECK(first.values.size() == w.width());
    CHECK(first.values[w.at(Column::events)] == 10);
    CHECK(first.values[w.at(Column::distinct_templates)] == 1);
    CHECK(first.values[w.count_column(space.column_of(1))] == 10);

    const ColumnLayout s = space.layout(Granularity::session);
    const FeatureRow& all = sessions.rows.front();
    CHECK(all.values.size() == s.width());
    CHECK(all.values[s.at(Column::events)] == 30);
    CHECK(all.values[s.at(Column::duration)] == 29);
    CHECK(all.values[s.at(Column::new_templates)] == 1);
    CHECK(all.values[s.at(Column::unseen_count)] == 5);  // template 99 is outside the vocabulary
}

TEST_CASE("stored log1p gives the C library's bits, whether looked up or computed", "[featurize]") {
    // The lookup of small whole numbers must not change a model: the same bits as a call.
    double (*volatile library_log1p)(double) = std::log1p;
    const auto same_bits = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    std::size_t differing = 0;
    for (int i = 0; i <= 5000; ++i) {
        const double v = i;
        differing += !same_bits(to_stored(Transform::log1p, v), library_log1p(v));
    }
    CHECK(differing == 0);
    for (const double v : {-0.0, 0.5, 2.25, 4095.5, 1e9, -0.5})
        CHECK(same_bits(to_stored(Transform::log1p, v), library_log1p(v)));
    CHECK(std::signbit(to_stored(Transform::log1p, -0.0)));
    CHECK(to_stored(Transform::none, 7.0) == 7.0);
}
