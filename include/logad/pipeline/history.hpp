#pragma once
// A bounded sample of the events a model was trained on, kept in the model so `train --update`
// can refit on the old traffic and the new together instead of forgetting the old.
//
// The sample is a reservoir of blocks of consecutive events (so windows, sessions and gaps
// inside a block stay as they were): every block ever offered has the same chance to be held,
// however many updates follow. Blocks are held in the order they came; blocks that were
// adjacent in one input form one segment (two inputs are two segments: a day apart, say).
//
// On disk ("history" in the pipeline document):
//   {"block": 500, "capacity": 20, "offered": N, "next_index": I, "seed": S,
//    "blocks": [{"index": I, "events": ["<an event line of event_json.hpp>", ...]}, ...]}
// Events are kept as those lines, and decoded only when an update needs them: scoring loads
// a model without paying for its history.
#include <logad/export.hpp>
#include <logad/record.hpp>
#include <logad/util/random.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace logad::pipeline {

class LOGAD_API TrainingHistory {
public:
    static constexpr std::size_t k_block = 500;
    static constexpr std::size_t k_capacity = 20;  // blocks: at most 10,000 events

    explicit TrainingHistory(std::uint64_t seed = 42) : m_seed(seed), m_rng(seed) {}

    // Offers the events of one input (in order), cut into blocks. Deterministic: the same
    // inputs in the same order give the same sample.
    void offer(const std::vector<Event>& events);

    bool empty() const noexcept { return m_blocks.empty(); }
    std::size_t events() const noexcept;
    // The held events as runs of consecutive input: events never span a gap between runs.
    // Throws FormatError when a held event is damaged.
    std::vector<std::vector<Event>> segments() const;

    nlohmann::json to_json() const;
    static TrainingHistory from_json(const nlohmann::json& j);  // throws nlohmann::json::exception, FormatError

private:
    struct Block {
        std::uint64_t index = 0;
        std::vector<std::string> events;  // event_json.hpp lines, without their newline
    };
    std::uint64_t m_seed;
    util::Random m_rng;  // portable: the same sample from a seed with any standard library
    std::uint64_t m_offered = 0;     // blocks ever offered (the reservoir's count)
    std::uint64_t m_next_index = 0;  // index of the next block; one is skipped between inputs
    std::vector<Block> m_blocks;  // sorted by index
};

}  // namespace logad::pipeline
