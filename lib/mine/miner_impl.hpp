#pragma once
// TemplateMiner's internals, shared by the mining code and its JSON state (template_state.cpp).
#include <logad/mine/masker.hpp>
#include <logad/mine/template_miner.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace logad::mine {

// A constant text token (no masked part): a word, a name, punctuation.
inline bool is_word(std::string_view s) { return s.find(k_wildcard) == std::string_view::npos; }

// A template position: a constant masked token (which may hold `<*>` inside, as in `uid=<*>`),
// a one-token variable, or a variable spanning one or more tokens.
enum class Slot : std::uint8_t { constant = 0, one = 1, many = 2 };

struct Template {
    std::uint32_t id = 0;
    std::vector<std::string> tokens;  // `<*>` where the slot is a variable
    std::vector<Slot> slots;
    bool varlen = false;  // has a `many` slot
    std::uint64_t count = 0;
    std::string example;
    std::string text;  // tokens joined by spaces
    std::uint32_t constants = 0;
    // per token: a hash of its text, and whether it is a plain word (a constant without `<*>`),
    // so the search for a near miss compares integers (template_evidence.cpp)
    std::vector<std::uint32_t> hashes;
    std::vector<bool> words;
    // Hash of tokens[0] when it is a constant, else 0: best_fixed rejects most templates with it
    // (the first token must agree) without touching their tokens.
    std::size_t first_hash = 0;
    // Hash of tokens[1] when a different word there rejects the template (a constant word, not
    // after a name-introducing token such as `user`), else 0: the second quick reject.
    std::size_t second_hash = 0;
    // LRU list (most recent first) over live templates, by index in Impl::m_templates
    std::uint32_t prev = k_none, next = k_none;
    std::uint32_t generation = 0;  // bumped when the index is reused, so stale cache entries miss
    std::uint32_t filing = 0;      // bumped when unfiled from the search lists (Impl::Bucket)
    std::size_t bytes = 0;         // its memory as estimated at creation (template_bytes)
    bool live = false;

    static constexpr std::uint32_t k_none = 0xffffffffu;
    void refresh();  // text and constants from tokens
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Templates that agree on everything but one or two word positions (p, q), kept as evidence that
// those positions hold a value rather than a word of the event (template_evidence.cpp). Bounded:
// at most k_group_cap members, each a template id.
struct Group {
    static constexpr std::size_t k_cap = 8;
    std::uint8_t p = 0, q = 0;  // q == p for a one-position group
    std::uint8_t size = 0;
    std::array<std::uint32_t, k_cap> ids{};
};

// The template a message nearly fits: the same constants except one or two words.
struct NearMiss {
    std::uint32_t index = 0xffffffffu;
    std::uint8_t p = 0, q = 0;
};

struct CacheEntry {
    std::uint32_t index;
    std::uint32_t generation;
};

struct TemplateMiner::Impl {
    explicit Impl(MinerOptions opts) : options(std::move(opts)), masker(options.masks) {}

    MinerOptions options;
    Masker masker;
    MinerStats stats;

    std::vector<Template> m_templates;           // by index; dead ones are reused
    std::vector<std::uint32_t> m_free;           // dead indexes
    std::uint32_t m_lru_head = Template::k_none;  // most recently used
    std::uint32_t m_lru_tail = Template::k_none;
    std::size_t m_live = 0;
    std::size_t m_bytes = 0;  // of the live templates (Template::bytes), for options.max_bytes
    std::unordered_map<std::uint32_t, std::uint32_t> m_by_id;  // id -> index
    // fixed-length templates by token count, variable-length ones apart
    struct LengthEntry {
        std::uint32_t index;
        std::size_t first_hash;  // copies of the template's, read without touching the template
        std::size_t second_hash;
        // hashes of its first k_lead tokens (0 where a variable): the near-miss search rejects
        // most templates from these alone, reading the list in order (template_evidence.cpp)
        std::array<std::uint32_t, 4> lead;
        std::uint32_t filing;  // the template's filing when added; another one means stale
        std::uint64_t seq;     // order of filing: ties go to the earliest, as in one list
    };
    // Entries are not erased one by one (a template explosion evicts a template per line): an
    // unfiled template's entries go stale and a list is compacted when half of it is stale.
    struct Bucket {
        std::vector<LengthEntry> entries;  // in filing order
        std::size_t stale = 0;
    };
    bool valid(const LengthEntry& e) const {
        const Template& t = m_templates[e.index];
        return t.live && t.filing == e.filing;
    }
    bool unfile(Bucket& bucket);  // counts one more stale entry; true when the list is empty
    std::uint64_t m_filings = 0;
    // fixed-length templates by length and first two tokens (key: first_key), for matching
    std::unordered_map<std::uint64_t, Bucket> m_by_first_token;
    std::unordered_map<std::uint32_t, Bucket> m_by_length;  // all fixed-length ones, for near misses
    // templates by first token, oldest first: a deque, as eviction (least recently used) takes
    // from near the front, which a vector would shift whole on every evicted template
    std::unordered_map<std::string, std::deque<std::uint32_t>, StringHash, std::equal_to<>> m_by_first;
    // masked message -> the template it went to, so a repeated form skips the search
    std::unordered_map<std::string, CacheEntry, StringHash, std::equal_to<>> m_cache;
    std::size_t m_cache_bytes = 0;  // of its keys: bounded as its entries are (remember)

    // evidence: group key -> templates that differ only at the group's positions
    std::unordered_map<std::uint64_t, Group> m_groups;
    // merged template id -> the id it merged into (chains resolve in resolve()); insertion order
    // kept so the table stays bounded
    std::unordered_map<std::uint32_t, std::uint32_t> m_alias;
    std::deque<std::uint32_t> m_alias_order;

    // scratch, reused so the hot path does not allocate
    MaskedMessage m_masked;
    std::vector<std::uint32_t> m_align;  // template slot of each message token
    std::vector<bool> m_variables;       // positions a new template inherits as variables
    std::vector<std::uint32_t> m_hashes; // of the message's tokens, for nearest_by_words

    void learn(Event& event);
    void learn_masked(Event& event);  // m_masked already holds the masked message
    bool match(Event& event);  // const in spirit: uses only scratch buffers

    // search
    std::uint32_t find_cached(std::string_view key) const;
    bool align_cached(std::uint32_t index);
    std::uint32_t best_fixed(double& similarity) const;
    std::uint32_t best_varlen() const;
    std::uint32_t align_merge();
    bool glob_match(const Template& t) const;
    bool glob_from(const Template& t, std::size_t si, std::size_t ti, std::size_t& budget) const;
    struct FirstRange {
        std::deque<std::uint32_t>::const_iterator first, last;
        auto begin() const { return first; }
        auto end() const { return last; }
        bool empty() const { return first == last; }
    };
    FirstRange same_first() const;  // the newest k_max_same_first of them

    // evidence (template_evidence.cpp)
    NearMiss nearest_by_words() const;
    std::uint64_t group_key(const Template& t, std::size_t p, std::size_t q) const;
    std::uint32_t add_evidence(std::uint32_t near_id, std::uint8_t p, std::uint8_t q, std::uint32_t index);
    std::uint32_t merge_group(std::uint64_t key);
    void absorb(std::uint32_t into, std::uint32_t from);
    void add_alias(std::uint32_t from, std::uint32_t to);
    std::uint32_t resolve(std::uint32_t id) const;

    // changes
    // A new template for the masked message; `variables` (when given) marks positions that
    // start as variables, inherited from the template the message nearly fits.
    std::uint32_t create(std::string_view key, std::string_view message, const std::vector<bool>* variables = nullptr);
    void kill(std::uint32_t index);
    std::uint32_t create_with_evidence(std::string_view message);  // unlink, unindex and free a template (eviction, merge)
    void generalize_fixed(Template& t);
    void touch(std::uint32_t index);
    void unlink(std::uint32_t index);
    void push_front(std::uint32_t index);
    void evict_one();
    void index_add(std::uint32_t index);
    void index_remove(std::uint32_t index);
    std::uint32_t allocate_id(std::string_view key) const;
    void remember(std::uint32_t index);

    void fill(Event& event, std::uint32_t index);  // needs m_align
    void fill_unmatched(Event& event) const;
};

std::uint32_t fnv1a32(std::string_view s) noexcept;
// key of Impl::m_by_first_token: a token count and the first two tokens' hashes as
// Template::first_hash and second_hash (0: no constraint there)
inline std::uint64_t first_key(std::size_t length, std::size_t first_hash, std::size_t second_hash) noexcept {
    return (static_cast<std::uint64_t>(length) * 0x9E3779B97F4A7C15ull) ^ first_hash ^
           (static_cast<std::uint64_t>(second_hash) * 0xC2B2AE3D27D4EB4Full);
}
inline constexpr std::size_t k_short_string = 15;  // held inside a std::string (libstdc++), not allocated
// A template's memory, estimated from its size (the same on every run, so eviction is too): per
// token a string, a hash and a slot, long tokens' own bytes, its text twice (the text and the
// masked form the cache keeps) and its example.
inline std::size_t template_bytes(std::size_t tokens, std::size_t long_token_bytes, std::size_t text_bytes,
                                  std::size_t example_bytes) noexcept {
    return sizeof(Template) + tokens * (sizeof(std::string) + sizeof(std::uint32_t) + 1) + long_token_bytes +
           2 * text_bytes + example_bytes;
}
inline std::uint32_t token_hash(std::string_view s) noexcept {
    return static_cast<std::uint32_t>(std::hash<std::string_view>{}(s));
}
bool is_blank_free(std::string_view s) noexcept;

}  // namespace logad::mine
