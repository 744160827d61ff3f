#include <logad/analyze/mining_stage.hpp>

#include <utility>

namespace logad::analyze {

void MiningStage::push(Record& record) {
    m_event.record.swap(record);
    m_miner.learn(m_event);
    m_next.push(m_event);
}

}  // namespace logad::analyze
