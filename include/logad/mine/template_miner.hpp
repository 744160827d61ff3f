#pragma once
// Online template mining: each message is tokenised, its variables masked (numbers, ids, IPs,
// paths...), and it joins or creates a template in one pass with bounded memory.
// Learning (learn) is kept apart from read-only matching (match), as scoring must not change
// the model.
//
// Template ids: a template's id is fixed when it is created, from a hash of its first masked
// form, and kept for its life (also when it later generalises), so the same logs give the same
// ids in every run, and --state carries them across runs.
#include <logad/mine/masker.hpp>
#include <logad/record.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace logad::mine {

struct MinerOptions {
    std::vector<UserMask> masks;        // --mask NAME=RE2, applied before the built-in masks
    std::size_t max_templates = 100000; // beyond this the least recently used template is evicted
};

struct TemplateInfo {
    std::uint32_t id = 0;
    std::string text;
    std::uint64_t count = 0;
    std::string example;  // the first message seen
};

struct MinerStats {
    std::uint64_t evicted = 0;  // templates dropped to stay under max_templates
};

class TemplateMiner {
public:
    explicit TemplateMiner(MinerOptions options = {});  // throws UsageError for a bad user mask
    ~TemplateMiner();
    TemplateMiner(TemplateMiner&&) noexcept;
    TemplateMiner& operator=(TemplateMiner&&) noexcept;

    // Learns from event.record.message and fills template_id, template_text and params.
    void learn(Event& event);
    // Read-only: fills the same fields from the best existing template. False (and
    // template_id 0, template_text the masked message) when no template matches.
    bool match(Event& event) const;

    std::vector<TemplateInfo> templates() const;  // ordered by id
    std::size_t size() const;
    const MinerStats& stats() const;

    // State for --state files and models (options included, so a loaded miner masks the same).
    nlohmann::json to_json() const;
    static TemplateMiner from_json(const nlohmann::json& state);  // throws FormatError

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace logad::mine
