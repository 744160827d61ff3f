#include <logad/pipeline/history.hpp>

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/util/json_integer.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace logad::pipeline {

void TrainingHistory::offer(const std::vector<Event>& events) {
    if (m_next_index > 0) ++m_next_index;  // a gap in the indexes: inputs are never adjacent
    for (std::size_t start = 0; start < events.size(); start += k_block) {
        const std::size_t end = std::min(start + k_block, events.size());
        const std::uint64_t seen = m_offered++;
        const std::uint64_t index = m_next_index++;
        if (m_blocks.size() >= k_capacity) {
            // Reservoir sampling (Algorithm R) over blocks: keep this one with chance capacity/seen.
            const std::uint64_t pick = m_rng.below(seen + 1);
            if (pick >= k_capacity) continue;
            m_blocks.erase(m_blocks.begin() + static_cast<std::ptrdiff_t>(pick));
        }
        Block b{index, {}};
        b.events.reserve(end - start);
        for (std::size_t i = start; i < end; ++i) {
            std::string line;
            append_event_json(line, events[i]);
            line.pop_back();  // the newline
            b.events.push_back(std::move(line));
        }
        m_blocks.push_back(std::move(b));  // the newest index: order by index stays sorted
    }
}

std::size_t TrainingHistory::events() const noexcept {
    std::size_t n = 0;
    for (const Block& b : m_blocks) n += b.events.size();
    return n;
}

std::vector<std::vector<Event>> TrainingHistory::segments() const {
    std::vector<std::vector<Event>> out;
    for (std::size_t i = 0; i < m_blocks.size(); ++i) {
        if (i == 0 || m_blocks[i].index != m_blocks[i - 1].index + 1) out.emplace_back();
        for (const std::string& line : m_blocks[i].events) {
            Event e;
            if (const std::string why = read_event_json(line, e); !why.empty())
                throw FormatError(fmt::format("an event of the model's training history is damaged ({}); retrain the model", why));
            out.back().push_back(std::move(e));
        }
    }
    return out;
}

nlohmann::json TrainingHistory::to_json() const {
    nlohmann::json blocks = nlohmann::json::array();
    for (const Block& b : m_blocks) blocks.push_back({{"index", b.index}, {"events", b.events}});
    return {{"block", k_block},   {"capacity", k_capacity}, {"offered", m_offered},
            {"next_index", m_next_index}, {"seed", m_seed},         {"blocks", std::move(blocks)}};
}

TrainingHistory TrainingHistory::from_json(const nlohmann::json& j) {
    TrainingHistory h(util::json_integer<std::uint64_t>(j.at("seed")));
    h.m_offered = util::json_integer<std::uint64_t>(j.at("offered"));
    h.m_next_index = util::json_integer<std::uint64_t>(j.at("next_index"));
    // Seeded from what was offered: the same updates in the same order give the same sample.
    h.m_rng = util::Random(h.m_seed + h.m_offered);
    for (const auto& b : j.at("blocks")) {
        Block block{util::json_integer<std::uint64_t>(b.at("index")), b.at("events").get<std::vector<std::string>>()};
        if ((!h.m_blocks.empty() && block.index <= h.m_blocks.back().index) || block.index >= h.m_next_index)
            throw FormatError("the training history blocks are out of order");
        h.m_blocks.push_back(std::move(block));
    }
    return h;
}

}  // namespace logad::pipeline
