// Variables from evidence. A word position of a template becomes a variable when templates that
// agree on everything else show enough different words there, not because of the word before
// it. Each time a message is about to start a new template, the template it nearly fits (the
// same constants except one or two words: `Order <*> created for customer alice ...` against
// `... customer judy ...`) is looked up; both are filed in a group keyed by the template with
// those positions left out. A group merges into its oldest member, with `<*>` at its positions,
// once it holds at least k_min_values different words at each position and at least half of its
// lines hold a word seen only once. So names, daemons as a first token, file
// names or one-word queries merge after four of them, while values that each recur often and
// alternate (`VM Paused` / `VM Resumed`, `opened` / `closed`) stay separate events. A one- or two-token message has too little
// around the word to be evidence (at least two agreeing constants per differing word), so
// unrelated one-word messages never merge.
// The merged templates' ids resolve to the survivor's (the alias table, saved with the state).
// Cost: the search looks at the newest k_max_near templates of the message's length, and only
// for messages that start a new template; groups and aliases are bounded tables.
#include "miner_impl.hpp"

#include <algorithm>

namespace logad::mine {
namespace {

constexpr std::size_t k_min_values = 5;  // different words at a position before it is a variable
// ...and at least half of the group's lines hold a word seen only once (the Good-Turing estimate
// of the chance that the next line brings a new word). A field of names keeps bringing new
// ones; an enumeration (lifecycle states, a handful of commands) shows its few values again and
// again, and a name that recurs a lot does not outweigh the many seen once.
constexpr std::size_t k_max_near = 256;    // templates of a length searched for a near miss
constexpr std::size_t k_max_groups = 1u << 18;
constexpr std::size_t k_max_aliases = 1u << 20;
constexpr std::size_t k_max_position = 255;  // positions are stored in a byte

}  // namespace

NearMiss TemplateMiner::Impl::nearest_by_words() const {
    NearMiss best;
    const std::size_t n = m_masked.tokens.size();
    if (n < 3 || n > k_max_position) return best;
    const auto it = m_by_length.find(static_cast<std::uint32_t>(n));
    if (it == m_by_length.end()) return best;
    const auto& list = it->second.entries;
    const std::size_t begin = list.size() > k_max_near ? list.size() - k_max_near : 0;
    // the message's tokens as hashes (as Template::hashes), and which are plain words
    auto& hashes = const_cast<std::vector<std::uint32_t>&>(m_hashes);
    hashes.resize(n);
    std::uint64_t words = 0;  // bit i: token i is a plain word (first 64)
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view m = m_masked.token(i);
        hashes[i] = token_hash(m) | 1;
        if (i < 64 && !m_masked.tokens[i].wild && is_word(m)) words |= std::uint64_t(1) << i;
    }
    const auto word = [&](std::size_t i) { return i >= 64 ? is_word(m_masked.token(i)) : ((words >> i) & 1) != 0; };
    const std::size_t lead = std::min<std::size_t>(n, 4);
    std::uint32_t best_differ = 3, best_equal = 0;
    for (std::size_t k = list.size(); k-- > begin;) {
        const LengthEntry& e = list[k];
        std::size_t misses = 0;  // more than two in the first tokens: not a near miss
        for (std::size_t i = 0; i < lead; ++i) misses += e.lead[i] != 0 && e.lead[i] != hashes[i];
        if (misses > 2 || !valid(e)) continue;
        const Template& t = m_templates[e.index];
        std::uint32_t equal = 0, differ = 0;
        std::uint8_t at[2] = {0, 0};
        bool ok = true;
        for (std::size_t i = 0; i < n && ok; ++i) {
            if (t.slots[i] != Slot::constant) continue;
            if (t.hashes[i] == hashes[i] && !m_masked.tokens[i].wild && t.tokens[i] == m_masked.token(i)) {
                ++equal;
                continue;
            }
            if (differ == 2 || !t.words[i] || !word(i)) {
                ok = false;  // a value against a word, or a third difference: not this event
            } else {
                at[differ++] = static_cast<std::uint8_t>(i);
            }
        }
        // at least two agreeing constants for each differing word
        if (!ok || differ == 0 || equal < 2 * differ) continue;
        if (differ < best_differ || (differ == best_differ && equal > best_equal)) {
            best_differ = differ;
            best_equal = equal;
            best.index = list[k].index;
            best.p = at[0];
            best.q = differ == 2 ? at[1] : at[0];
        }
    }
    return best;
}

std::uint64_t TemplateMiner::Impl::group_key(const Template& t, std::size_t p, std::size_t q) const {
    std::uint64_t h = 1469598103934665603ull ^ (t.tokens.size() << 16) ^ (p << 8) ^ q;
    for (std::size_t i = 0; i < t.tokens.size(); ++i) {
        if (i == p || i == q) continue;
        h = (h ^ std::hash<std::string_view>{}(t.tokens[i])) * 1099511628211ull;
        h = (h ^ (i + 1)) * 1099511628211ull;
    }
    return h;
}

std::uint32_t TemplateMiner::Impl::add_evidence(std::uint32_t near_id, std::uint8_t p, std::uint8_t q,
                                                std::uint32_t index) {
    const auto found = m_by_id.find(near_id);
    if (found == m_by_id.end()) return index;  // evicted to make room for the new one
    const std::uint64_t key = group_key(m_templates[found->second], p, q);
    if (m_groups.size() >= k_max_groups && !m_groups.count(key)) m_groups.clear();  // refills from use
    Group& g = m_groups[key];
    if (g.size == 0) {
        g.p = p;
        g.q = q;
        g.ids[g.size++] = near_id;
    }
    const std::uint32_t id = m_templates[index].id;
    if (g.size == Group::k_cap) g.size = Group::k_cap - 1;  // full of values that made no case: keep the oldest
    g.ids[g.size++] = id;
    const std::uint32_t merged = merge_group(key);
    return merged == Template::k_none ? index : merged;
}

std::uint32_t TemplateMiner::Impl::merge_group(std::uint64_t key) {
    Group& g = m_groups.at(key);
    // members still alive and still of this shape (one may have generalised elsewhere since)
    std::array<std::uint32_t, Group::k_cap> members{};
    std::size_t size = 0;
    for (std::size_t k = 0; k < g.size; ++k) {
        const auto it = m_by_id.find(g.ids[k]);
        if (it == m_by_id.end()) continue;
        const Template& t = m_templates[it->second];
        if (t.varlen || group_key(t, g.p, g.q) != key) continue;
        g.ids[size] = g.ids[k];
        members[size++] = it->second;
    }
    g.size = static_cast<std::uint8_t>(size);
    const auto distinct = [&](std::size_t pos) {
        std::size_t d = 0;
        for (std::size_t a = 0; a < size; ++a) {
            bool seen = false;
            for (std::size_t b = 0; b < a && !seen; ++b)
                seen = m_templates[members[a]].tokens[pos] == m_templates[members[b]].tokens[pos];
            d += !seen;
        }
        return d;
    };
    // the message that brought the newest member is not counted yet
    std::uint64_t lines = 1, once = 0;
    for (std::size_t k = 0; k < size; ++k) {
        const std::uint64_t count = m_templates[members[k]].count + (k + 1 == size ? 1 : 0);
        lines += count - (k + 1 == size ? 1 : 0);
        once += count == 1;
    }
    const std::size_t values = std::min(distinct(g.p), distinct(g.q));
    if (values < k_min_values || 2 * once < lines) return Template::k_none;
    if (g.p != g.q) {
        // two positions that hand values to each other (`from NEW to ASSIGNED`, `from ASSIGNED
        // to RUNNING`) are a state machine's transitions, each its own event; two free fields
        // (a user and a file) never share a value
        for (std::size_t a = 0; a < size; ++a)
            for (std::size_t b = 0; b < size; ++b)
                if (m_templates[members[a]].tokens[g.p] == m_templates[members[b]].tokens[g.q]) return Template::k_none;
    }

    const std::uint32_t survivor = members[0];
    const std::uint8_t p = g.p, q = g.q;
    m_groups.erase(key);
    index_remove(survivor);
    Template& s = m_templates[survivor];
    for (std::size_t pos : {std::size_t(p), std::size_t(q)}) {
        s.tokens[pos] = k_wildcard;
        s.slots[pos] = Slot::one;
    }
    s.refresh();
    index_add(survivor);
    for (std::size_t k = 1; k < size; ++k) absorb(survivor, members[k]);
    return survivor;
}

void TemplateMiner::Impl::absorb(std::uint32_t into, std::uint32_t from) {
    m_templates[into].count += m_templates[from].count;
    add_alias(m_templates[from].id, m_templates[into].id);
    kill(from);
}

void TemplateMiner::Impl::add_alias(std::uint32_t from, std::uint32_t to) {
    if (m_alias.size() >= k_max_aliases) {
        m_alias.erase(m_alias_order.front());
        m_alias_order.pop_front();
    }
    m_alias[from] = to;
    m_alias_order.push_back(from);
}

std::uint32_t TemplateMiner::Impl::resolve(std::uint32_t id) const {
    for (int steps = 0; steps < 64; ++steps) {  // a chain: a survivor merged again later
        const auto it = m_alias.find(id);
        if (it == m_alias.end()) break;
        id = it->second;
    }
    return id;
}

}  // namespace logad::mine
