#pragma once
// Stage: records -> events through a template miner that learns from each (`logad parse`,
// training). Scoring mines read-only inside pipeline::Scorer instead.
#include <logad/export.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/record.hpp>
#include <logad/stage.hpp>

#include <vector>

namespace logad::analyze {

class LOGAD_API MiningStage final : public Sink<Record> {
public:
    MiningStage(mine::TemplateMiner& miner, Sink<Event>& next) : m_miner(miner), m_next(next) {}
    void push(Record& record) override;
    void finish() override { m_next.finish(); }

private:
    mine::TemplateMiner& m_miner;
    Sink<Event>& m_next;
    Event m_event;
};

// Sink: keeps every event pushed (steals it).
class EventCollector final : public Sink<Event> {
public:
    explicit EventCollector(std::vector<Event>& out) : m_out(out) {}
    void push(Event& event) override {
        m_out.push_back(std::move(event));
        event = Event{};
    }

private:
    std::vector<Event>& m_out;
};

}  // namespace logad::analyze
