#pragma once
// What `logad score` writes on stdout, one writer per --output kind, each a sink of score
// records and incidents appending to an io::OutputBuffer (flushed by its owner when input pauses):
//   ndjson    logad's own records (score_record.hpp) and incidents (incidents.hpp), read back by
//             pipeline/score_stream.hpp
//   ecs       the same as Elastic Common Schema documents (ecs.hpp)
//   ecs-bulk  those as an Elasticsearch _bulk body: each document after its action line
// A writer writes every record it is given; which records go out is the caller's choice.
#include <logad/export.hpp>
#include <logad/io/output.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <cstdint>
#include <memory>

namespace logad::ops {

enum class ScoreFormat { ndjson, ecs, ecs_bulk };

class ScoreWriter : public Sink<pipeline::ScoreRecord>, public Sink<pipeline::Incident> {
public:
    using Sink<pipeline::ScoreRecord>::push;
    using Sink<pipeline::Incident>::push;
};

class NdjsonScoreWriter final : public ScoreWriter {
public:
    explicit NdjsonScoreWriter(io::OutputBuffer& out) : m_out(out) {}
    void push(pipeline::ScoreRecord& record) override;
    void push(pipeline::Incident& incident) override;

private:
    io::OutputBuffer& m_out;
};

class EcsScoreWriter final : public ScoreWriter {
public:
    using WallClock = std::int64_t (*)();  // ms since the epoch, for documents without event time
    static std::int64_t wall_ms();
    // `bulk`: each document after the _bulk action line.
    EcsScoreWriter(io::OutputBuffer& out, bool bulk, WallClock clock = &wall_ms)
        : m_out(out), m_bulk(bulk), m_clock(clock) {}
    void push(pipeline::ScoreRecord& record) override;
    void push(pipeline::Incident& incident) override;

private:
    std::string& start();  // the buffer, after the action line when asked for
    io::OutputBuffer& m_out;
    bool m_bulk;
    WallClock m_clock;
};

LOGAD_API std::unique_ptr<ScoreWriter> make_score_writer(ScoreFormat format, io::OutputBuffer& out);

}  // namespace logad::ops
