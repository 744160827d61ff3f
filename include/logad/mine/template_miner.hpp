#pragma once
// Online template mining: each message is tokenised, its variables masked (see masker.hpp), and
// it joins or creates a template in one pass with bounded memory.
// Learning (learn) is kept apart from read-only matching (match), as scoring must not change
// the model.
//
// How a message finds its template (template_miner.cpp):
//   1. a masked form seen before goes straight to the template it went to (a hash lookup);
//   2. else a template of the same token count whose first token is the same, and whose
//      constant tokens mostly agree (at least half of the positions where both hold text) with
//      at most one differing constant, becomes `<*>` there. Two different words are two events
//      (`VM Paused` / `VM Resumed`), unless the word follows a token that introduces a name
//      (`user root` / `user news`: a weak prior kept beside the evidence of step 5). Two
//      tokens of one compound shape (`com.a.B` / `org.c.D`, `https://x/y` / `https://z/w`,
//      `QQ(<*>)` / `Finder(<*>)`: the same separators inside them) are two values, not two
//      events: they differ freely (not at the first token) within the similarity bound;
//   3. else a template with `<*>` spans of varying length that matches as a glob;
//   4. else a template with the same first token whose constants line up with the message
//      (longest common subsequence) gets a `<*>` for each differing run, which then matches any
//      number of tokens: `user Bob logged in` and `user John Smith logged in` give
//      `user <*> logged in`;
//   5. else the message starts a new template; if it nearly fits one (the same constants but
//      one or two words), both are filed as evidence, and once five different words with
//      mostly new ones were seen there, the group merges into its oldest template with `<*>`
//      at those positions (any position, the first included; template_evidence.cpp). The
//      merged ids resolve to the survivor's (resolve(), saved with the state).
// Past max_templates, or past max_bytes of templates, the least recently used template is
// evicted (counted in stats()).
//
// Template ids: fixed when a template is created and kept for its life, also when its text
// later generalises, so the same logs give the same ids in every run and --state carries them
// across runs. The id is the 32-bit FNV-1a hash of the template's first masked form (the masked
// tokens joined by single spaces); if that is 0 or held by a live template, the next value up
// that is free (deterministic for a given history).
//
// Not thread-safe: match() is const for the model but uses scratch buffers of the miner.
#include <logad/export.hpp>
#include <logad/mine/masker.hpp>
#include <logad/record.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace logad::mine {

struct MinerOptions {
    std::vector<UserMask> masks;        // --mask NAME=RE2, applied before the built-in masks
    std::size_t max_templates = 100000; // beyond this the least recently used template is evicted
    // Memory, not a property of the model (not saved): templates hold about this many bytes at
    // most (their tokens, text and example as estimated at creation); past it the least recently
    // used are evicted as past max_templates. A log of huge unique lines (470 KB each, a template
    // apiece of about 4 MB) would otherwise grow by each of them up to max_templates.
    std::size_t max_bytes = std::size_t{256} << 20;
};

struct TemplateInfo {
    std::uint32_t id = 0;
    std::string text;
    std::uint64_t count = 0;
    std::string example;  // the first message seen
};

struct MinerStats {
    std::uint64_t evicted = 0;  // templates dropped to stay under max_templates or max_bytes
};

class LOGAD_API TemplateMiner {
public:
    explicit TemplateMiner(MinerOptions options = {});  // throws UsageError for a bad user mask
    ~TemplateMiner();
    TemplateMiner(TemplateMiner&&) noexcept;
    TemplateMiner& operator=(TemplateMiner&&) noexcept;

    // Learns from event.record.message and fills template_id, template_text and params.
    void learn(Event& event);
    // The same, for a message already masked by masker() (possibly on another thread, ahead of
    // time: `logad parse --threads`). `masked` must be masker().mask(event.record.message); it
    // is used as scratch and left unspecified.
    void learn_masked(Event& event, MaskedMessage& masked);
    // The masker learn() applies; its mask() is const and safe to call from several threads.
    const Masker& masker() const;
    // Read-only: fills the same fields from the best existing template. False (and
    // template_id 0, template_text the masked message) when no template matches.
    bool match(Event& event) const;

    std::vector<TemplateInfo> templates() const;  // ordered by id
    std::size_t size() const;
    std::size_t bytes() const;  // the live templates' estimated bytes, at most max_bytes (or one template)
    // The id a template id stands for now: itself, or the template it merged into (and so on),
    // so ids written before a merge stay valid. Unknown ids come back unchanged.
    std::uint32_t resolve(std::uint32_t id) const;
    const MinerStats& stats() const;

    // State for --state files and models (options included, so a loaded miner masks the same).
    nlohmann::json to_json() const;
    static TemplateMiner from_json(const nlohmann::json& state);  // throws FormatError

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Events mined before their template generalised (a constant became a variable, or the template
// merged into another) carry the old id, text and params: match them again against the template
// as it is now (should that fail, take its id and text). Only such events are matched again.
void refresh_merged(const TemplateMiner& miner, std::vector<Event>& events);

}  // namespace logad::mine
