// The reader of `logad score`'s output against its writers: what append_score_json and
// append_incident_json write reads back equal, and damaged lines are refused by field.
#include <logad/pipeline/score_stream.hpp>

#include <logad/error.hpp>

#include <catch2/catch.hpp>

using namespace logad;
using namespace logad::pipeline;

namespace {

ScoreRecord full_score_record() {
    ScoreRecord r;
    r.per = "line";
    r.detector = "signal:param_range";
    r.score = 2.5;
    r.threshold = 1;
    r.anomaly = true;
    r.first_line = r.last_line = 1042;
    r.file = "app.log";
    r.start_ms = r.end_ms = 1'700'000'000'123;
    r.key = "billing";
    r.template_id = 3141592653u;
    r.template_text = "Disk <*> took <*> ms";
    r.message = "Disk sda took 512 ms";
    r.level = Level::warn;
    r.fields = {{"host", "web-1", false}, {"pid", "42", true}};
    r.reasons = {"param 2 = 512", "second reason"};
    r.feature = "param:2";
    r.slot = 1;
    r.value = 512;
    return r;
}

void check_same(const ScoreRecord& a, const ScoreRecord& b) {
    CHECK(a.per == b.per);
    CHECK(a.detector == b.detector);
    CHECK(a.score == b.score);
    CHECK(a.threshold == b.threshold);
    CHECK(a.anomaly == b.anomaly);
    CHECK(a.first_line == b.first_line);
    CHECK(a.last_line == b.last_line);
    CHECK(a.file == b.file);
    CHECK(a.start_ms == b.start_ms);
    CHECK(a.end_ms == b.end_ms);
    CHECK(a.key == b.key);
    CHECK(a.template_id == b.template_id);
    CHECK(a.template_text == b.template_text);
    CHECK(a.message == b.message);
    CHECK(a.level == b.level);
    REQUIRE(a.fields.size() == b.fields.size());
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        CHECK(a.fields[i].key == b.fields[i].key);
        CHECK(a.fields[i].value == b.fields[i].value);
        CHECK(a.fields[i].json == b.fields[i].json);
    }
    CHECK(a.reasons == b.reasons);
    CHECK(a.feature == b.feature);
    CHECK(a.slot == b.slot);
    CHECK(a.has_value() == b.has_value());
    if (a.has_value()) CHECK(a.value == b.value);
}

}  // namespace

TEST_CASE("score stream: a score record reads back as written", "[pipeline][score_stream]") {
    const ScoreRecord r = full_score_record();
    std::string line;
    append_score_json(line, r);
    const ScoreLine got = read_score_line(line, "t:1");
    CHECK(got.kind == ScoreLine::Kind::record);
    CHECK(got.scored);
    CHECK(got.threshold_given);
    check_same(got.record, r);

    // A window record: no line, no template, no value.
    ScoreRecord w;
    w.per = "window";
    w.detector = "iforest";
    w.score = 0.7;
    w.threshold = 0.6;
    w.anomaly = true;
    w.first_line = 10;
    w.last_line = 99;
    w.start_ms = 1'700'000'000'000;
    w.end_ms = 1'700'000'060'000;
    w.feature = "count:7";
    line.clear();
    append_score_json(line, w);
    check_same(read_score_line(line, "t:2").record, w);
}

TEST_CASE("score stream: an incident record reads back as written", "[pipeline][score_stream]") {
    Incident i;
    i.id = 3;
    i.state = Incident::State::closed;
    i.kind = "param_range";
    i.about = "template";
    i.detectors = {"signal:param_range", "iforest"};
    i.score = 4.5;
    i.first_line = 7;
    i.last_line = 12;
    i.file = "a.log";
    i.last_file = "b.log";
    i.start_ms = 1'700'000'000'000;
    i.end_ms = 1'700'000'001'000;
    i.lines = 5;
    i.records = 6;
    i.template_id = 99;
    i.template_text = "Disk <*> took <*> ms";
    i.reasons = {"slow disk"};
    i.examples = {"Disk sda took 512 ms"};
    i.level = Level::error;
    RecordScope s;
    s.per = "line";
    s.detector = "signal:param_range";
    s.template_id = 99;
    s.slot = 1;
    s.low = 300;
    s.high = 700;
    RecordScope k;
    k.per = "window";
    k.detector = "iforest";
    k.feature = "count:7";
    i.scopes = {s, k};
    std::string line;
    append_incident_json(line, i);
    const ScoreLine got = read_score_line(line, "t:1");
    REQUIRE(got.kind == ScoreLine::Kind::incident);
    const Incident& g = got.incident;
    CHECK(g.id == i.id);
    CHECK(g.state == i.state);
    CHECK(g.kind == i.kind);
    CHECK(g.about == i.about);
    CHECK(g.detectors == i.detectors);
    CHECK(g.score == i.score);
    CHECK(g.first_line == i.first_line);
    CHECK(g.last_line == i.last_line);
    CHECK(g.file == i.file);
    CHECK(g.last_file == i.last_file);
    CHECK(g.start_ms == i.start_ms);
    CHECK(g.end_ms == i.end_ms);
    CHECK(g.lines == i.lines);
    CHECK(g.records == i.records);
    CHECK(g.template_id == i.template_id);
    CHECK(g.template_text == i.template_text);
    CHECK(g.reasons == i.reasons);
    CHECK(g.examples == i.examples);
    CHECK(g.level == i.level);
    REQUIRE(g.scopes.size() == 2);
    CHECK(g.scopes[0].same_target(s));
    CHECK(g.scopes[0].low == 300);
    CHECK(g.scopes[0].high == 700);
    CHECK(g.scopes[1].same_target(k));
    CHECK_FALSE(g.scopes[1].ranged());

    // One file: last_file is not written and reads back as the first.
    i.last_file = i.file;
    line.clear();
    append_incident_json(line, i);
    CHECK(read_score_line(line, "t:2").incident.last_file == "a.log");
}

TEST_CASE("score stream: a table model's row reads as a record of that row", "[pipeline][score_stream]") {
    const ScoreLine got = read_score_line(R"({"row":12,"score":0.71,"threshold":0.64,"anomaly":true})", "t:1");
    CHECK(got.kind == ScoreLine::Kind::table_row);
    CHECK(got.record.first_line == 12);
    CHECK(got.record.last_line == 12);
    CHECK(got.record.score == 0.71);
    CHECK(got.record.anomaly);
    // Without `anomaly`, the record is one when its score is over the threshold.
    CHECK_FALSE(read_score_line(R"({"row":3,"score":0.1,"threshold":0.64})", "t:2").record.anomaly);
}

TEST_CASE("score stream: damaged lines are refused naming the place and the field", "[pipeline][score_stream]") {
    auto message = [](std::string_view line) {
        try {
            read_score_line(line, "scores.ndjson:7");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(message("not json"), Catch::StartsWith("scores.ndjson:7: not a JSON object"));
    CHECK_THAT(message("[1,2]"), Catch::StartsWith("scores.ndjson:7: not a JSON object"));
    CHECK_THAT(message(R"({"per":"line","score":"high","threshold":1})"), Catch::Contains("scores.ndjson:7: \"score\" should be a number"));
    CHECK_THAT(message(R"({"per":"line","score":1,"anomaly":"yes"})"), Catch::Contains("\"anomaly\" should be true or false"));
    CHECK_THAT(message(R"({"per":"line","score":1,"line":-4})"), Catch::Contains("\"line\" should be a whole number"));
    CHECK_THAT(message(R"({"per":"line","score":1,"line":1e308})"), Catch::Contains("\"line\""));
    CHECK_THAT(message(R"({"per":"line","score":1,"reasons":[1]})"), Catch::Contains("\"reasons\" should be an array of strings"));
    CHECK_THAT(message(R"({"per":"line","score":1,"start":"yesterday"})"), Catch::Contains("\"start\" should be an RFC 3339 time"));
    CHECK_THAT(message(R"({"per":"incident","detectors":"x"})"), Catch::Contains("\"detectors\""));
    CHECK_THAT(message(R"({"per":"incident","scopes":[{"slot":"two"}]})"), Catch::Contains("scores.ndjson:7: scope 1: \"slot\""));
    CHECK_THAT(message(R"({"row":"one","score":1})"), Catch::Contains("\"row\""));
    // Nesting past the limit is refused before parsing, as any other non-object.
    CHECK_THAT(message(std::string(100000, '[')), Catch::StartsWith("scores.ndjson:7: not a JSON object"));
    // A record without a score is read (feedback takes hand-pasted records) and says so.
    CHECK_FALSE(read_score_line(R"({"per":"line","detector":"iforest"})", "t").scored);
}
