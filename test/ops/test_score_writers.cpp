// The writers of `logad score --output ndjson|ecs|ecs-bulk` (include/logad/ops/score_writers.hpp):
// a record and an incident written in each kind and read back.
#include <logad/ops/ecs.hpp>
#include <logad/ops/score_writers.hpp>
#include <logad/pipeline/score_stream.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <vector>

using namespace logad;

namespace {

pipeline::ScoreRecord writers_sample_record() {
    pipeline::ScoreRecord r;
    r.per = "window";
    r.detector = "iforest";
    r.score = 3.5;
    r.threshold = 1.25;
    r.anomaly = true;
    r.first_line = 10;
    r.last_line = 42;
    r.start_ms = 1714557600000;
    r.end_ms = 1714557660000;
    r.file = "app.log.1";
    r.reasons = {"many errors"};
    return r;
}

pipeline::Incident writers_sample_incident() {
    pipeline::Incident i;
    i.id = 7;
    i.kind = "burst";
    i.detectors = {"signal:burst"};
    i.score = 4;
    i.start_ms = 1714557600000;
    i.end_ms = 1714557720000;
    i.records = 3;
    i.state = pipeline::Incident::State::closed;
    return i;
}

std::vector<std::string> writers_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

// Writes the sample record and incident with `format`; the lines that reached the stream.
std::vector<std::string> write_samples(ops::ScoreFormat format) {
    std::ostringstream out;
    {
        io::OutputBuffer buffer(out);
        const auto writer = ops::make_score_writer(format, buffer);
        pipeline::ScoreRecord r = writers_sample_record();
        pipeline::Incident i = writers_sample_incident();
        writer->push(r);
        writer->push(i);
        buffer.flush();
    }
    return writers_lines(out.str());
}

}  // namespace

TEST_CASE("score writers: NDJSON records and incidents read back as written", "[ops][writers]") {
    const auto lines = write_samples(ops::ScoreFormat::ndjson);
    REQUIRE(lines.size() == 2);
    const pipeline::ScoreLine record = pipeline::read_score_line(std::string_view(lines[0]), "out:1");
    REQUIRE(record.kind == pipeline::ScoreLine::Kind::record);
    const pipeline::ScoreRecord want = writers_sample_record();
    CHECK(record.record.per == want.per);
    CHECK(record.record.detector == want.detector);
    CHECK(record.record.score == want.score);
    CHECK(record.record.threshold == want.threshold);
    CHECK(record.record.anomaly);
    CHECK(record.record.first_line == 10);
    CHECK(record.record.last_line == 42);
    CHECK(record.record.start_ms == want.start_ms);
    CHECK(record.record.file == "app.log.1");
    const pipeline::ScoreLine incident = pipeline::read_score_line(std::string_view(lines[1]), "out:2");
    REQUIRE(incident.kind == pipeline::ScoreLine::Kind::incident);
    CHECK(incident.incident.id == 7);
    CHECK(incident.incident.kind == "burst");
    CHECK(incident.incident.state == pipeline::Incident::State::closed);
    CHECK(incident.incident.records == 3);
}

TEST_CASE("score writers: ECS documents, one a line, as append_ecs_* writes them", "[ops][writers]") {
    const auto lines = write_samples(ops::ScoreFormat::ecs);
    REQUIRE(lines.size() == 2);
    const auto record = nlohmann::json::parse(lines[0]);
    CHECK(record["event"]["action"] == "anomaly");
    CHECK(record["rule"]["category"] == "window");
    CHECK(record["@timestamp"] == "2024-05-01T10:00:00.000Z");  // the record's time, not the clock
    CHECK(record["logad"]["file"] == "app.log.1");
    const auto incident = nlohmann::json::parse(lines[1]);
    CHECK(incident["event"]["action"] == "incident-closed");
    CHECK(incident["labels"]["incident"] == "7");
    std::string expected;
    ops::append_ecs_record(expected, writers_sample_record(), 0);
    CHECK(lines[0] + "\n" == expected);  // times known: the wall clock plays no part
}

TEST_CASE("score writers: an ECS _bulk body puts the create action before each document", "[ops][writers]") {
    const auto lines = write_samples(ops::ScoreFormat::ecs_bulk);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] + "\n" == ops::k_bulk_action);
    CHECK(lines[2] + "\n" == ops::k_bulk_action);
    CHECK(nlohmann::json::parse(lines[1])["event"]["dataset"] == "logad.anomaly");
    CHECK(nlohmann::json::parse(lines[3])["event"]["dataset"] == "logad.incident");
}

TEST_CASE("score writers: an ECS document without event time takes the writer's clock", "[ops][writers]") {
    std::ostringstream out;
    io::OutputBuffer buffer(out);
    ops::EcsScoreWriter writer(buffer, false, [] { return std::int64_t{1714557600000}; });
    pipeline::ScoreRecord r;
    r.per = "line";
    r.detector = "iforest";
    writer.push(r);
    buffer.flush();
    CHECK(nlohmann::json::parse(out.str())["@timestamp"] == "2024-05-01T10:00:00.000Z");
}
