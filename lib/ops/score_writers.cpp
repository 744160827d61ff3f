#include <logad/ops/score_writers.hpp>

#include <logad/ops/ecs.hpp>

#include <chrono>

namespace logad::ops {

void NdjsonScoreWriter::push(pipeline::ScoreRecord& record) {
    pipeline::append_score_json(m_out.buffer(), record);
    m_out.commit();
}

void NdjsonScoreWriter::push(pipeline::Incident& incident) {
    pipeline::append_incident_json(m_out.buffer(), incident);
    m_out.commit();
}

std::int64_t EcsScoreWriter::wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string& EcsScoreWriter::start() {
    if (m_bulk) m_out.buffer() += k_bulk_action;
    return m_out.buffer();
}

void EcsScoreWriter::push(pipeline::ScoreRecord& record) {
    append_ecs_record(start(), record, m_clock());
    m_out.commit();
}

void EcsScoreWriter::push(pipeline::Incident& incident) {
    append_ecs_incident(start(), incident, m_clock());
    m_out.commit();
}

std::unique_ptr<ScoreWriter> make_score_writer(ScoreFormat format, io::OutputBuffer& out) {
    if (format == ScoreFormat::ndjson) return std::make_unique<NdjsonScoreWriter>(out);
    return std::make_unique<EcsScoreWriter>(out, format == ScoreFormat::ecs_bulk);
}

}  // namespace logad::ops
