#include <logad/error.hpp>
#include <logad/featurize/featurizers.hpp>

#include <catch2/catch.hpp>


#include "../support/support.hpp"
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::featurize;

namespace {

struct Rows final : Sink<FeatureRow> {
    std::vector<FeatureRow> rows;
    int finished = 0;
    void push(FeatureRow& r) override { rows.push_back(r); }
    void finish() override { ++finished; }
};

Event make(std::uint32_t id, std::int64_t ts_ms, std::uint64_t line, std::string text = "t <*>",
           std::vector<Param> params = {}, Level level = Level::info, std::string message = "m") {
    Event e;
    e.template_id = id;
    e.template_text = std::move(text);
    e.record.ts_ms = ts_ms;
    e.record.line = line;
    e.record.level = level;
    e.record.message = std::move(message);
    e.params = std::move(params);
    return e;
}

FeatureSpace trained_space() {
    FeatureSpaceBuilder b({2, 8});
    for (int i = 0; i < 100; ++i) {
        b.add(make(1, i * 1000, i, "Order <*> created in <*> ms", {{"42", ParamKind::number}, {std::to_string(10 + (i * 37) % 50), ParamKind::number}}));
        if (i % 2 == 0) b.add(make(2, i * 1000, i, "Cache hit"));
        if (i % 10 == 0) b.add(make(3, i * 1000, i, "Rare but normal"));
    }
    return b.build();
}

}  // namespace

TEST_CASE("the feature space keeps the most frequent templates and numeric ranges", "[featurize]") {
    const FeatureSpace s = trained_space();
    CHECK(s.n_events == 160);
    REQUIRE(s.vocab == std::vector<std::uint32_t>{1, 2});
    CHECK(s.column_of(1) == 0);
    CHECK(s.column_of(3) == 2);   // out of vocabulary
    CHECK(s.column_of(99) == 2);  // never seen
    CHECK(s.knows(3));
    CHECK_FALSE(s.knows(99));
    const ParamRange* r = s.range_of(1, 1);
    REQUIRE(r != nullptr);
    CHECK(r->min == 10);
    CHECK(r->max == 59);
    CHECK(r->p50 == Approx(34.5));
    CHECK(s.width(Granularity::window) == s.feature_names(Granularity::window).size());
    CHECK(s.width(Granularity::session) == s.feature_names(Granularity::session).size());
    CHECK(s.width(Granularity::line) == s.feature_names(Granularity::line).size());
}

TEST_CASE("numeric parameters: units of durations and sizes", "[featurize]") {
    CHECK(*param_number({"250", ParamKind::number}) == 250);
    CHECK(*param_number({"1.5s", ParamKind::duration}) == 1500);
    CHECK(*param_number({"3 GB", ParamKind::size}) == 3e9);
    CHECK_FALSE(param_number({"abc", ParamKind::number}));
    CHECK_FALSE(param_number({"10.0.0.1", ParamKind::ip}));
}

TEST_CASE("line rows: rarity, new templates, levels and out-of-range parameters", "[featurize]") {
    const FeatureSpace s = trained_space();
    Rows rows;
    LineFeaturizer f(s, rows);
    Event common = make(1, 0, 1, "Order <*> created in <*> ms", {{"42", ParamKind::number}, {"30", ParamKind::number}});
    Event slow = make(1, 1000, 2, "Order <*> created in <*> ms", {{"42", ParamKind::number}, {"2300", ParamKind::number}});
    Event unseen = make(77, 2000, 3, "Connection refused to <*>", {}, Level::error);
    f.push(common);
    f.push(slow);
    f.push(unseen);
    REQUIRE(rows.rows.size() == 3);
    const auto names = s.feature_names(Granularity::line);
    auto at = [&](std::size_t row, const std::string& name) {
        return rows.rows[row].values[std::find(names.begin(), names.end(), name) - names.begin()];
    };
    CHECK(at(0, "new_template") == 0);
    CHECK(at(2, "new_template") == 1);
    CHECK(at(2, "rarity") > at(0, "rarity"));
    CHECK(at(2, "level:error") == 1);
    CHECK(at(0, "level:info") == 1);
    CHECK(at(0, "param_out_of_range") == 0);
    CHECK(at(1, "param_out_of_range") > 3);  // 2300 against a 10..59 range
    CHECK(at(1, "log_gap_same_template") == Approx(std::log1p(1.0)));
    CHECK(rows.rows[2].template_id == 77);
}

TEST_CASE("tumbling windows close on event time and keep silent windows", "[featurize]") {
    const FeatureSpace s = trained_space();
    Rows rows;
    WindowFeaturizer f(s, {60000, 0}, rows);
    Event a = make(1, 5000, 1), b = make(2, 30000, 2), c = make(99, 200000, 3), d = make(1, 250000, 4);
    f.push(a);
    f.push(b);
    CHECK(rows.rows.empty());  // the first window is still open
    f.push(c);                 // 200 s: windows [0,60) [60,120) [120,180) close
    REQUIRE(rows.rows.size() == 3);
    CHECK(rows.rows[0].start_ms == 0);
    CHECK(rows.rows[0].end_ms == 60000);
    CHECK(rows.rows[0].values[0] == 2);  // events
    CHECK(rows.rows[0].values[1] == 2);  // distinct templates
    CHECK(rows.rows[0].first_line == 1);
    CHECK(rows.rows[0].last_line == 2);
    CHECK(rows.rows[1].values[0] == 0);  // silence is a row too
    CHECK(rows.rows[2].values[0] == 0);
    f.advance_to(245000);                // a quiet stream: time passes without events
    REQUIRE(rows.rows.size() == 4);
    CHECK(rows.rows[3].start_ms == 180000);
    CHECK(rows.rows[3].values[2] == 1);  // one never-seen template
    CHECK(rows.rows[3].values[3 + k_levels + 2] == 1);  // counted in the OOV column
    f.push(d);
    f.finish();                          // [240,300) saw 10 of 60 s: dropped as too partial
    CHECK(rows.rows.size() == 4);
    CHECK(rows.finished == 1);
}

TEST_CASE("sliding windows count each event in every window that covers it", "[featurize]") {
    const FeatureSpace s = trained_space();
    Rows rows;
    WindowFeaturizer f(s, {60000, 20000}, rows);
    for (std::int64_t t : {0, 25000, 45000, 130000}) {
        Event e = make(1, t, static_cast<std::uint64_t>(t / 1000));
        f.push(e);
    }
    // Windows starting at 0, 20, 40, 60 s have closed by 130 s.
    REQUIRE(rows.rows.size() >= 4);
    CHECK(rows.rows[0].values[0] == 3);  // [0,60): 0, 25, 45
    CHECK(rows.rows[1].values[0] == 2);  // [20,80): 25, 45
    CHECK(rows.rows[2].values[0] == 1);  // [40,100): 45
    CHECK(rows.rows[3].values[0] == 0);  // [60,120)
    CHECK_THROWS_AS(WindowFeaturizer(s, {60000, 90000}, rows), UsageError);
}

TEST_CASE("sessions by regex key: every block a line names, idle close, end of input", "[featurize]") {
    const FeatureSpace s = trained_space();
    const SessionKey key("blk_-?\\d+");
    Rows rows;
    SessionFeaturizer f(s, key, {60000, 1000}, rows);
    Event a = make(1, 0, 1, "t", {}, Level::info, "Receiving block blk_1 src");
    Event b = make(2, 1000, 2, "t", {}, Level::warn, "Copy blk_1 to blk_-2");
    Event c = make(1, 120000, 3, "t", {}, Level::info, "Receiving block blk_3");
    Event none = make(1, 120500, 4, "t", {}, Level::info, "no block here");
    f.push(a);
    f.push(b);
    CHECK(rows.rows.empty());
    f.push(c);  // blk_1 and blk_-2 idle for more than 60 s
    REQUIRE(rows.rows.size() == 2);
    CHECK(rows.rows[0].key == "blk_1");
    CHECK(rows.rows[0].values[0] == 2);   // events
    CHECK(rows.rows[0].values[1] == 1);   // duration in s
    CHECK(rows.rows[0].first_line == 1);
    CHECK(rows.rows[0].last_line == 2);
    CHECK(rows.rows[1].key == "blk_-2");
    f.push(none);
    CHECK(f.keyless_events() == 1);
    f.finish();
    REQUIRE(rows.rows.size() == 3);
    CHECK(rows.rows[2].key == "blk_3");
}

TEST_CASE("sessions by field, bounded open sessions", "[featurize]") {
    const FeatureSpace s = trained_space();
    const SessionKey key("request_id");
    Rows rows;
    SessionFeaturizer f(s, key, {3600000, 2}, rows);
    for (int i = 0; i < 5; ++i) {
        Event e = make(1, i, static_cast<std::uint64_t>(i + 1));
        e.record.fields.push_back({"request_id", "r" + std::to_string(i % 3), false});
        f.push(e);
    }
    CHECK(f.evicted() >= 1);
    f.finish();
    std::uint64_t total = 0;
    for (const auto& r : rows.rows) total += static_cast<std::uint64_t>(r.values[0]);
    CHECK(total == 5);  // no event lost by eviction
    CHECK_THROWS_AS(SessionKey("blk_(\\d+"), UsageError);
}

TEST_CASE("a feature space survives to_json/from_json and gives identical rows", "[featurize]") {
    const FeatureSpace s = trained_space();
    const FeatureSpace back = FeatureSpace::from_json(nlohmann::json::parse(s.to_json().dump()));
    Rows r1, r2;
    LineFeaturizer f1(s, r1), f2(back, r2);
    Event e = make(1, 0, 1, "Order <*> created in <*> ms", {{"42", ParamKind::number}, {"900", ParamKind::number}});
    f1.push(e);
    f2.push(e);
    CHECK(r1.rows[0].values == r2.rows[0].values);
    CHECK_THROWS_AS(FeatureSpace::from_json(nlohmann::json::parse(R"({"max_vocab":1})")), FormatError);
}

TEST_CASE("a line with 120,000 key matches is read in linear time and follows at most the per-line cap", "[featurize][reliability]") {
    const FeatureSpace s = trained_space();
    const SessionKey key("blk_-?\\d+");
    std::string message = "Copy";
    for (int i = 0; i < 120000; ++i) message += " blk_" + std::to_string(i) + " blk_" + std::to_string(i % 7);
    Event e = make(1, 0, 1, "t", {}, Level::info, message);
    std::vector<std::string> keys;
    const double t0 = logad::test::thread_cpu_seconds();
    const std::size_t dropped = key.extract(e, keys);
    const double secs = logad::test::thread_cpu_seconds() - t0;
    CHECK(secs < 5.0 * logad::test::slowdown());  // CPU s: 0.1 now, 34 with a linear search per match
    REQUIRE(keys.size() == SessionKey::k_max_keys_per_line);
    CHECK(dropped == 120000 - SessionKey::k_max_keys_per_line);  // distinct keys beyond the cap, counted once each
    // First appearance order, duplicates skipped: blk_0 blk_0 blk_1 blk_1 blk_2 blk_2 ... blk_7 blk_0
    CHECK(keys[0] == "blk_0");
    CHECK(keys[1] == "blk_1");
    CHECK(keys[63] == "blk_63");

    Rows rows;
    SessionFeaturizer f(s, key, {60000, 100000}, rows);
    f.push(e);
    CHECK(f.dropped_keys() == dropped);
    f.finish();
    CHECK(rows.rows.size() == SessionKey::k_max_keys_per_line);
}
