// Parameter slots typed by evidence: only measurements are range-checked on their values,
// counters on their rates; ids, dates/versions and hashes never.
#include <logad/error.hpp>
#include <logad/featurize/featurizers.hpp>
#include <logad/featurize/param_reader.hpp>
#include <logad/mine/masker.hpp>

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <random>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::featurize;

namespace {

Event slot_event(std::int64_t ts_ms, std::uint64_t line, std::string value, ParamKind kind = ParamKind::number) {
    Event e;
    e.template_id = 7;
    e.template_text = "value <*>";
    e.record.ts_ms = ts_ms;
    e.record.line = line;
    e.record.message = "value " + value;
    e.params = {{std::move(value), kind}};
    return e;
}

// A slot trained on `values` (one a second), and the readings ParamReader gives for `probe`
// after it (the last training value is replayed first, so a counter has a mark).
struct SlotCase {
    FeatureSpace space;
    const ParamRange* slot = nullptr;

    explicit SlotCase(const std::vector<std::pair<std::string, ParamKind>>& values) {
        FeatureSpaceBuilder b;
        std::int64_t t = 1'700'000'000'000;
        std::uint64_t line = 0;
        for (const auto& [v, kind] : values) b.add(slot_event(t += 1000, ++line, v, kind));
        space = b.build();
        slot = space.range_of(7, 0);
    }
    // param_out_of_range of a line row for `probe`
    double out_of_range(const std::string& probe, ParamKind kind = ParamKind::number) const {
        struct Keep final : Sink<FeatureRow> {
            std::vector<FeatureRow> rows;
            void push(FeatureRow& r) override { rows.push_back(r); }
        } keep;
        LineFeaturizer f(space, keep);
        Event e = slot_event(10'000'000, 1, probe, kind);
        f.push(e);
        const auto names = space.feature_names(Granularity::line);
        return keep.rows.at(0).values[std::find(names.begin(), names.end(), "param_out_of_range") - names.begin()];
    }
};

std::vector<std::pair<std::string, ParamKind>> as_numbers(const std::vector<std::string>& v) {
    std::vector<std::pair<std::string, ParamKind>> out;
    for (const auto& s : v) out.emplace_back(s, ParamKind::number);
    return out;
}

}  // namespace

TEST_CASE("slot kinds: dates and versions by their shape are never range-checked", "[featurize]") {
    SECTION("2005.09.26 (the masker calls it a number)") {
        std::vector<std::string> v;
        for (int d = 1; d <= 30; ++d) v.push_back(fmt::format("2005.09.{:02}", d));
        v.push_back("2005");  // a plain number now and then does not make the slot a measurement
        v.push_back("2005");
        const SlotCase c(as_numbers(v));
        REQUIRE(c.slot != nullptr);
        CHECK(c.slot->kind == SlotKind::date);
        CHECK(c.slot->judged() == nullptr);
        CHECK(c.out_of_range("2005.11.05") == 0);
        CHECK(c.out_of_range("2006") == 0);
        CHECK(c.out_of_range("99999") == 0);
    }
    SECTION("ISO dates and times, versions") {
        for (const std::vector<std::string>& shapes :
             {std::vector<std::string>{"2005-09-26", "2005-09-27", "2005-10-01"}, {"12:30:01", "12:31:07", "23:59:59"},
              {"1.2.3", "1.2.4", "1.10.0"}, {"2005-06-03-15.42.50.675872", "2005-06-03-15.42.53.276129", "2005-06-04-01.00.00.000001"}}) {
            std::vector<std::string> v;
            for (int i = 0; i < 10; ++i) v.insert(v.end(), shapes.begin(), shapes.end());
            v.push_back("2005");
            const SlotCase c(as_numbers(v));
            REQUIRE(c.slot != nullptr);
            CHECK(c.slot->kind == SlotKind::date);
            CHECK(c.out_of_range("2031-01-01") == 0);
            CHECK(c.out_of_range("1") == 0);  // the plain numbers of a date slot are not judged either
        }
        CHECK_FALSE(param_number({"2005-09-26", ParamKind::number}));
        CHECK_FALSE(param_number({"2005.09.26", ParamKind::number}));
        CHECK_FALSE(param_number({"1.2.3", ParamKind::number}));
    }
}

TEST_CASE("slot kinds: ids and hashes never give an out-of-range parameter", "[featurize]") {
    std::mt19937_64 rng(5);
    SECTION("random 16-digit ids") {
        std::vector<std::string> v;
        for (int i = 0; i < 300; ++i) v.push_back(std::to_string(1'000'000'000'000'000ULL + rng() % 9'000'000'000'000'000ULL));
        const SlotCase c(as_numbers(v));
        REQUIRE(c.slot != nullptr);
        CHECK(c.slot->kind == SlotKind::id);
        CHECK(c.slot->distinct > 200);
        CHECK(c.out_of_range("98765432109876543210") == 0);  // 20 digits: a measurement this far out would be judged
        CHECK(c.out_of_range("7") == 0);
    }
    SECTION("ports and other ids spread evenly over their range") {
        std::vector<std::string> v;
        for (int i = 0; i < 400; ++i) v.push_back(std::to_string(32768 + rng() % 28000));
        const SlotCase c(as_numbers(v));
        REQUIRE(c.slot != nullptr);
        CHECK(c.slot->kind == SlotKind::id);
        CHECK(c.out_of_range("9000000") == 0);
    }
    SECTION("hex ids and hashes") {
        std::vector<std::pair<std::string, ParamKind>> v;
        for (int i = 0; i < 50; ++i) v.emplace_back(fmt::format("{:016x}", rng()), ParamKind::hex);
        v.emplace_back("12", ParamKind::number);  // a number in the slot makes it a slot at all
        const SlotCase c(v);
        REQUIRE(c.slot != nullptr);
        CHECK(c.slot->kind == SlotKind::hash);
        CHECK(c.out_of_range("123456789012") == 0);
    }
}

TEST_CASE("slot kinds: measurements that cluster stay measurements and are judged", "[featurize]") {
    std::mt19937_64 rng(9);
    std::lognormal_distribution<double> latency(std::log(40.0), 0.4);
    std::vector<std::pair<std::string, ParamKind>> v;
    for (int i = 0; i < 500; ++i) v.emplace_back(fmt::format("{:.2f}ms", latency(rng)), ParamKind::duration);
    const SlotCase c(v);
    REQUIRE(c.slot != nullptr);
    CHECK(c.slot->kind == SlotKind::measurement);  // all distinct, yet no id: fractions with a unit, clustered
    CHECK(c.out_of_range("45.10ms", ParamKind::duration) == 0);
    CHECK(c.out_of_range("2.5s", ParamKind::duration) > 1);
    // integer latencies that repeat are measurements too, however long the training
    std::vector<std::string> ints;
    for (int i = 0; i < 500; ++i) ints.push_back(std::to_string(static_cast<int>(latency(rng))));
    const SlotCase d(as_numbers(ints));
    CHECK(d.slot->kind == SlotKind::measurement);
    CHECK(d.out_of_range("5000") > 1);
}

TEST_CASE("slot kinds: integers that keep leaving the range before them are ids, values of one distribution are not", "[featurize]") {
    std::mt19937_64 rng(11);
    SECTION("process ids: each process logs a while, later ones get higher ids") {
        std::vector<std::string> v;
        std::uint64_t pid = 300;
        std::vector<std::uint64_t> running = {pid};
        for (int i = 0; i < 2000; ++i) {
            if (rng() % 5 == 0) running.push_back(pid += 1 + rng() % 40);  // a process starts
            if (running.size() > 6) running.erase(running.begin());
            v.push_back(std::to_string(running[rng() % running.size()]));
        }
        const SlotCase c(as_numbers(v));
        REQUIRE(c.slot != nullptr);
        CHECK(c.slot->kind == SlotKind::id);  // repeated, clustered: only the drift tells
        CHECK(c.out_of_range("987654") == 0);
    }
    SECTION("integers of one distribution, whatever its shape and however many") {
        std::lognormal_distribution<double> heavy(std::log(200.0), 1.5);
        std::geometric_distribution<int> retries(0.3);
        for (const int n : {30, 100, 1000, 5000})
            for (int trial = 0; trial < 20; ++trial) {
                std::vector<std::string> sizes, counts, uniform;
                for (int i = 0; i < n; ++i) {
                    sizes.push_back(std::to_string(static_cast<std::uint64_t>(heavy(rng))));
                    counts.push_back(std::to_string(retries(rng)));
                    uniform.push_back(std::to_string(1000 + rng() % 50));
                }
                INFO("n " << n << ", trial " << trial);
                for (const auto& values : {sizes, counts, uniform}) {
                    const SlotCase c(as_numbers(values));
                    REQUIRE(c.slot != nullptr);
                    CHECK(c.slot->kind == SlotKind::measurement);
                }
            }
    }
}

TEST_CASE("slot kinds: a counter is judged by its rate, and a reset is no anomaly", "[featurize]") {
    std::vector<std::string> v;
    for (int i = 0; i < 300; ++i) v.push_back(std::to_string(10 * (i % 120) + i % 3));  // +10/s, reset every 2 min
    const SlotCase c(as_numbers(v));
    REQUIRE(c.slot != nullptr);
    REQUIRE(c.slot->kind == SlotKind::counter);
    CHECK(c.slot->rate_per == RatePer::second);
    CHECK(c.slot->rate.p50 == Approx(10).margin(2));

    ParamReader reader(c.space);
    std::int64_t t = 0;
    auto read = [&](std::int64_t value, std::int64_t step_ms = 1000) {
        t += step_ms;
        return reader.read(slot_event(t, 0, std::to_string(value)));
    };
    CHECK(read(50'000).empty());  // the first reading only sets the mark
    const auto& steady = read(50'010);
    REQUIRE(steady.size() == 1);
    CHECK(steady[0].value == Approx(10));  // far above the training values, at the training rate
    CHECK(steady[0].rate());
    CHECK(read(3).empty());  // a reset: no reading at all
    const auto& fast = read(1003);  // 1000 per second: 100 times the training rate
    REQUIRE(fast.size() == 1);
    CHECK(fast[0].value == Approx(1000));
    CHECK(reading_subject(fast[0]) == "rate of param 1 (increase per second)");
}

TEST_CASE("slot kinds: counters without timestamps count per line", "[featurize]") {
    CounterMark mark;
    Record r;
    r.line = 10;
    CHECK_FALSE(counter_rate(mark, 100, r, RatePer::line));
    r.line = 14;
    CHECK(*counter_rate(mark, 120, r, RatePer::line) == 5);
    r.line = 15;
    CHECK_FALSE(counter_rate(mark, 4, r, RatePer::line));  // reset
    r.line = 3;                                            // another file: lines start over
    CHECK_FALSE(counter_rate(mark, 9, r, RatePer::line));
    r.line = 5;
    CHECK(*counter_rate(mark, 13, r, RatePer::line) == 2);
}

TEST_CASE("sizes read alike everywhere: a slot trained on 512M does not alert on 1G", "[featurize]") {
    CHECK(*param_number({"1G", ParamKind::size}) == 2 * *param_number({"512M", ParamKind::size}));
    CHECK(*param_number({"512Mi", ParamKind::size}) == *param_number({"512M", ParamKind::size}));
    CHECK(*param_number({"1.5 GB", ParamKind::size}) == 1.5e9);
    CHECK(*param_number({"5m", ParamKind::duration}) == 300000);
    CHECK(*param_number({"2 hours", ParamKind::duration}) == 7.2e6);
    CHECK(*param_number({"123 bytes (0.1 KB)", ParamKind::size}) == 123);
    CHECK_FALSE(param_number({"5 apples", ParamKind::number}));

    std::vector<std::pair<std::string, ParamKind>> constant(40, {"512M", ParamKind::size});
    const SlotCase c(constant);
    REQUIRE(c.slot != nullptr);
    const double bar = std::log1p(3.0);  // the param_range signal's bar: 3 spreads out
    CHECK(c.out_of_range("1G", ParamKind::size) <= bar);  // read as 1 byte, or as 512 minutes, it was "far off"
    CHECK(c.out_of_range("0.5G", ParamKind::size) == 0);

    std::vector<std::pair<std::string, ParamKind>> varied;
    for (int i = 0; i < 60; ++i) varied.emplace_back(fmt::format("{}M", 500 + (i * 37) % 100), ParamKind::size);
    const SlotCase d(varied);
    CHECK(d.out_of_range("0.5G", ParamKind::size) == 0);  // 512M written in G
    CHECK(d.out_of_range("1G", ParamKind::size) > 0);
    CHECK(d.out_of_range("20G", ParamKind::size) > 1);

    // durations: `30 seconds` was read as 30 and `2 hours` as 2
    std::vector<std::pair<std::string, ParamKind>> waits;
    for (int i = 0; i < 60; ++i) waits.emplace_back(fmt::format("{} seconds", 30 + (i * 37) % 60), ParamKind::duration);
    const SlotCase w(waits);
    CHECK(w.slot->kind == SlotKind::measurement);
    CHECK(w.out_of_range("2 hours", ParamKind::duration) > 1);
    CHECK(w.out_of_range("1 minute", ParamKind::duration) == 0);
}

TEST_CASE("slot kinds survive the model file, and models from before them load as measurements", "[featurize]") {
    std::vector<std::string> v;
    for (int i = 0; i < 100; ++i) v.push_back(std::to_string(10 * i));
    const SlotCase c(as_numbers(v));
    REQUIRE(c.slot->kind == SlotKind::counter);
    nlohmann::json j = c.space.to_json();
    const FeatureSpace back = FeatureSpace::from_json(j);
    const ParamRange* r = back.range_of(7, 0);
    REQUIRE(r != nullptr);
    CHECK(r->kind == SlotKind::counter);
    CHECK(r->rate.p50 == c.slot->rate.p50);
    CHECK(r->rate_per == c.slot->rate_per);
    CHECK(r->distinct == c.slot->distinct);

    nlohmann::json old = j;
    for (auto& p : old["params"]) p.erase(7);  // as written before slots were typed
    const FeatureSpace older = FeatureSpace::from_json(old);
    REQUIRE(older.range_of(7, 0) != nullptr);
    CHECK(older.range_of(7, 0)->kind == SlotKind::measurement);
    CHECK(older.range_of(7, 0)->p99 == c.slot->p99);

    nlohmann::json newer = j;
    newer["params"][0][7]["kind"] = "wavelength";
    CHECK_THROWS_WITH(FeatureSpace::from_json(newer), Catch::Contains("parameter kind 'wavelength'") && Catch::Contains("newer logad"));
}

TEST_CASE("the masker and param_number read every unit alike", "[featurize]") {
    const mine::Masker masker({});
    mine::MaskedMessage out;
    struct Case {
        const char* message;
        ParamKind kind;
        double value;
    };
    for (const Case& c : {Case{"heap 512M used", ParamKind::size, 512.0 * 1024 * 1024},
                          Case{"heap 1G used", ParamKind::size, 1024.0 * 1024 * 1024},
                          Case{"heap 2Gi used", ParamKind::size, 2048.0 * 1024 * 1024},
                          Case{"wrote 1.5 GB today", ParamKind::size, 1.5e9},
                          Case{"wrote 3KB today", ParamKind::size, 3e3},
                          Case{"waited 5m then", ParamKind::duration, 300000},
                          Case{"waited 2 hours then", ParamKind::duration, 7.2e6},
                          Case{"waited 3 days then", ParamKind::duration, 2.592e8},
                          Case{"took 250ms then", ParamKind::duration, 250}}) {
        masker.mask(c.message, out);
        INFO(c.message);
        REQUIRE(out.params.size() == 1);
        const mine::MaskedParam& mp = out.params[0];
        const Param p{std::string(std::string_view(c.message).substr(mp.begin, mp.size)), mp.kind};
        CHECK(p.kind == c.kind);
        REQUIRE(param_number(p));
        CHECK(*param_number(p) == Approx(c.value));
    }
}

TEST_CASE("slot kinds: a number that reads as the event's own time is a date", "[featurize]") {
    // HealthApp's `getTodayTotalDetailSteps = 1514038440000##...`: epoch ms, not a measurement
    for (const double per_ms : {1.0, 0.001}) {  // epoch milliseconds, epoch seconds
        FeatureSpaceBuilder b;
        const std::int64_t start = 1514038440000;
        for (int i = 0; i < 200; ++i) {
            const std::int64_t ts = start + i * 7000;
            const std::int64_t stamp = (ts - 6 * 3600000 - (i % 5) * 60000) / 60000 * 60000;  // another zone, repeats
            b.add(slot_event(ts, static_cast<std::uint64_t>(i + 1), fmt::format("{:.0f}", static_cast<double>(stamp) * per_ms)));
        }
        const FeatureSpace s = b.build();
        REQUIRE(s.range_of(7, 0) != nullptr);
        CHECK(s.range_of(7, 0)->kind == SlotKind::date);
    }
}

TEST_CASE("event readings: a counter read by two stages for one event is read once", "[featurize]") {
    std::vector<std::string> v;
    for (int i = 0; i < 300; ++i) v.push_back(std::to_string(10 * (i % 120) + i % 3));
    const SlotCase c(as_numbers(v));
    REQUIRE(c.slot->kind == SlotKind::counter);
    EventReadings readings(c.space);
    std::int64_t t = 0;
    auto next = [&](std::int64_t value) {
        readings.next_event();
        return slot_event(t += 1000, 0, std::to_string(value));
    };
    const Event first = next(50'000);
    CHECK(readings.params(first).empty());  // the first occurrence only sets the mark
    const Event second = next(50'010);
    const auto by_featurizer = readings.params(second);
    const auto by_signal = readings.params(second);  // a second stage, the same event
    REQUIRE(by_featurizer.size() == 1);
    REQUIRE(by_signal.size() == 1);
    CHECK(by_signal[0].value == by_featurizer[0].value);
    CHECK(by_signal[0].value == Approx(10));
    // A plain reader asked twice sees the event twice: no time passed, so no rate.
    ParamReader twice(c.space);
    t = 0;
    twice.read(slot_event(t += 1000, 0, "50000"));
    const Event e = slot_event(t += 1000, 0, "50010");
    CHECK(twice.read(e).size() == 1);
    CHECK(twice.read(e).empty());
}
