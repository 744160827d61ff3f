// The online miner. For each message: mask it; if this masked form was seen before, reuse its
// template (the common case, a hash lookup); otherwise search the templates with the same token
// count (Drain-like similarity: share of positions whose constant tokens agree, first token
// must agree), then the variable-length templates (glob match), then try to turn a template of
// another length into a variable-length one (common prefix and suffix, one differing middle),
// and else create a template. Templates only ever generalise, so a cached form stays valid.
#include "miner_impl.hpp"

#include <algorithm>
#include <cstdlib>

namespace logad::mine {
namespace {

constexpr double k_similarity = 0.5;        // Drain's usual threshold
constexpr std::size_t k_max_length_gap = 4;  // a variable may span up to this many more tokens
constexpr std::size_t k_max_cache = 1u << 20;

double dev_knob(const char* name, double def) {
    const char* v = std::getenv(name);
    return v ? std::atof(v) : def;
}

bool is_word(std::string_view s) {
    if (dev_knob("LOGAD_R1", 2) > 1) {
        for (char c : s)
            if ((c >= '0' && c <= '9') || c == '<') return false;
        return true;
    }
    while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ':' || s.back() == ';')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == '"' || s.front() == '\'' || s.front() == '(' || s.front() == '[')) s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    return true;
}

// the word after these is a name (user root, for sshd), so it may vary
bool introduces_name(std::string_view s) {
    while (!s.empty() && (s.back() == ':' || s.back() == '=')) s.remove_suffix(1);
    for (std::string_view k : {"user", "users", "for", "account", "host", "from", "login", "group", "username", "name"})
        if (s == k) return true;
    return false;
}

}  // namespace

std::uint32_t fnv1a32(std::string_view s) noexcept {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

void Template::refresh() {
    text.clear();
    constants = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i) text += ' ';
        text += tokens[i];
        if (slots[i] == Slot::constant) ++constants;
    }
}

// ---------------------------------------------------------------------------------------------
// search

std::uint32_t TemplateMiner::Impl::find_cached(std::string_view key) const {
    const auto it = m_cache.find(key);
    if (it == m_cache.end()) return Template::k_none;
    const Template& t = m_templates[it->second.index];
    return t.live && t.generation == it->second.generation ? it->second.index : Template::k_none;
}

std::uint32_t TemplateMiner::Impl::best_fixed(double& similarity) const {
    const std::size_t n = m_masked.tokens.size();
    similarity = -1;
    const auto it = m_by_length.find(static_cast<std::uint32_t>(n));
    if (it == m_by_length.end()) return Template::k_none;
    std::uint32_t best = Template::k_none;
    std::uint32_t best_vars = 0;
    for (std::uint32_t index : it->second) {
        const Template& t = m_templates[index];
        // Only positions where both sides hold constant text are evidence; variables on either
        // side say nothing about whether the two are the same event.
        std::uint32_t equal = 0, differ = 0, vars = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (t.slots[i] != Slot::constant) {
                ++vars;
            } else if (m_masked.tokens[i].wild) {
                ++differ;
            } else if (t.tokens[i] == m_masked.token(i)) {
                ++equal;
            } else {
                ++differ;
                if (dev_knob("LOGAD_R1", 2) > 0 && is_word(t.tokens[i]) && is_word(m_masked.token(i)) &&
                    !(dev_knob("LOGAD_KW", 1) > 0 && i > 0 && introduces_name(t.tokens[i - 1]))) {
                    equal = 0;
                    break;
                }
                if (i == 0 || differ > dev_knob("LOGAD_MAXDIFF", 1)) {  // the first token must agree
                    equal = 0;
                    break;
                }
            }
        }
        const double sim = equal + differ ? static_cast<double>(equal) / static_cast<double>(equal + differ) : 1.0;
        if (equal == 0 && differ > 0) continue;
        if (sim > similarity || (sim == similarity && vars > best_vars)) {
            similarity = sim;
            best = index;
            best_vars = vars;
        }
    }
    return best;
}

// Glob match of the masked message against a template whose `many` slots take 1+ tokens;
// fills m_align. Backtracking is bounded by the few `many` slots a template has.
bool TemplateMiner::Impl::glob_match(const Template& t) const {
    auto& align = const_cast<std::vector<std::uint32_t>&>(m_align);
    const std::size_t n = m_masked.tokens.size(), m = t.tokens.size();
    align.resize(n);
    // iterative backtracking over `many` slots: remember where each one could extend
    struct Choice {
        std::size_t slot, token;
    };
    Choice stack[16];
    std::size_t depth = 0;
    std::size_t si = 0, ti = 0;
    for (std::size_t guard = 0; guard < 10000; ++guard) {
        if (si == m && ti == n) return true;
        bool ok = si < m && ti < n;
        if (ok) {
            switch (t.slots[si]) {
                case Slot::constant: ok = t.tokens[si] == m_masked.token(ti); break;
                case Slot::one: break;
                case Slot::many:
                    if (depth < 16) stack[depth++] = {si, ti};
                    break;
            }
        }
        if (ok) {
            align[ti] = static_cast<std::uint32_t>(si);
            ++si;
            ++ti;
            continue;
        }
        // backtrack: let the last `many` slot take one more token
        for (;;) {
            if (depth == 0) return false;
            Choice& c = stack[depth - 1];
            ++c.token;
            if (c.token >= n) {
                --depth;
                continue;
            }
            align[c.token] = static_cast<std::uint32_t>(c.slot);
            si = c.slot + 1;
            ti = c.token + 1;
            break;
        }
    }
    return false;
}

std::uint32_t TemplateMiner::Impl::best_varlen() const {
    std::uint32_t best = Template::k_none;
    std::uint32_t best_constants = 0;
    const std::string_view first = m_masked.tokens.empty() ? std::string_view() : m_masked.token(0);
    for (std::uint32_t index : m_varlen) {
        const Template& t = m_templates[index];
        if (t.slots[0] != Slot::constant || t.tokens[0] != first) continue;
        if (t.constants + 1 > m_masked.tokens.size() || (best != Template::k_none && t.constants <= best_constants))
            continue;
        if (glob_match(t)) {
            best = index;
            best_constants = t.constants;
        }
    }
    if (best != Template::k_none) glob_match(m_templates[best]);  // m_align for the winner
    return best;
}

// A template of another length that shares a prefix and a suffix with the message, the rest
// being one differing run on each side, becomes prefix <*> suffix with a `many` slot.
bool TemplateMiner::Impl::try_varlen_merge() {
    const std::size_t n = m_masked.tokens.size();
    if (n < 2) return false;
    std::uint32_t best = Template::k_none;
    std::size_t best_common = 0, best_p = 0, best_s = 0;
    const auto consider = [&](std::uint32_t index) {
        const Template& t = m_templates[index];
        const std::size_t m = t.tokens.size();
        if (m == n || m < 2 || (m > n ? m - n : n - m) > k_max_length_gap) return;
        const auto same = [&](std::size_t ts, std::size_t mt) {
            return t.slots[ts] == Slot::constant ? t.tokens[ts] == m_masked.token(mt) : true;
        };
        const std::size_t lim = std::min(m, n) - 1;  // leave at least one token each in the middle
        std::size_t p = 0;
        while (p < lim && same(p, p)) ++p;
        std::size_t s = 0;
        while (s + p < lim && same(m - 1 - s, n - 1 - s)) ++s;
        if (p == 0 || t.slots[0] != Slot::constant) return;  // the first token must agree
        const std::size_t common = p + s;
        const std::size_t longest = std::max(m, n);
        // the shared part must clearly dominate, as for Drain's threshold
        std::size_t kept = 0;
        for (std::size_t i = 0; i < p; ++i) kept += t.slots[i] == Slot::constant;
        for (std::size_t i = m - s; i < m; ++i) kept += t.slots[i] == Slot::constant;
        if (2 * common < longest || kept < 2) return;
        // a constant that would be lost in the middle must be rare: at most one per side
        std::size_t lost = 0;
        for (std::size_t i = p; i < m - s; ++i) lost += t.slots[i] == Slot::constant;
        if (lost > 1) return;
        std::size_t lost_msg = 0;
        for (std::size_t i = p; i < n - s; ++i) lost_msg += !m_masked.tokens[i].wild;
        if (lost_msg > 1 && lost > 0) return;
        if (common > best_common) {
            best = index;
            best_common = common;
            best_p = p;
            best_s = s;
        }
    };
    for (std::size_t gap = 1; gap <= k_max_length_gap; ++gap) {
        for (int sign = -1; sign <= 1; sign += 2) {
            if (sign < 0 && gap >= n) continue;
            const std::uint32_t len = static_cast<std::uint32_t>(sign < 0 ? n - gap : n + gap);
            const auto it = m_by_length.find(len);
            if (it == m_by_length.end()) continue;
            for (std::uint32_t index : it->second) consider(index);
        }
    }
    if (best == Template::k_none) return false;
    Template& t = m_templates[best];
    index_remove(best);
    const std::size_t m = t.tokens.size();
    std::vector<std::string> tokens;
    std::vector<Slot> slots;
    for (std::size_t i = 0; i < best_p; ++i) {
        tokens.push_back(t.tokens[i]);
        slots.push_back(t.slots[i]);
    }
    tokens.emplace_back(k_wildcard);
    slots.push_back(Slot::many);
    for (std::size_t i = m - best_s; i < m; ++i) {
        tokens.push_back(t.tokens[i]);
        slots.push_back(t.slots[i]);
    }
    t.tokens = std::move(tokens);
    t.slots = std::move(slots);
    t.varlen = true;
    t.refresh();
    index_add(best);
    // the message fits the new shape by construction
    return glob_match(t);
}

// ---------------------------------------------------------------------------------------------
// changes

std::uint32_t TemplateMiner::Impl::allocate_id(std::string_view key) const {
    std::uint32_t id = fnv1a32(key);
    // collisions: the next free id, so the same history always gives the same ids
    while (id == 0 || m_by_id.count(id)) ++id;
    return id;
}

std::uint32_t TemplateMiner::Impl::create(const std::string& key, std::string_view message) {
    if (options.max_templates > 0 && m_live >= options.max_templates) evict_one();
    std::uint32_t index;
    if (!m_free.empty()) {
        index = m_free.back();
        m_free.pop_back();
    } else {
        index = static_cast<std::uint32_t>(m_templates.size());
        m_templates.emplace_back();
    }
    Template& t = m_templates[index];
    t.id = allocate_id(key);
    t.tokens.clear();
    t.slots.clear();
    for (std::size_t i = 0; i < m_masked.tokens.size(); ++i) {
        t.tokens.emplace_back(m_masked.token(i));
        t.slots.push_back(m_masked.tokens[i].wild ? Slot::one : Slot::constant);
    }
    t.varlen = false;
    t.count = 0;
    t.example.assign(message);
    t.live = true;
    t.refresh();
    m_by_id[t.id] = index;
    index_add(index);
    push_front(index);
    ++m_live;
    m_align.resize(m_masked.tokens.size());
    for (std::size_t i = 0; i < m_align.size(); ++i) m_align[i] = static_cast<std::uint32_t>(i);
    return index;
}

void TemplateMiner::Impl::generalize_fixed(Template& t) {
    bool changed = false;
    for (std::size_t i = 0; i < t.tokens.size(); ++i) {
        if (t.slots[i] == Slot::constant && t.tokens[i] != m_masked.token(i)) {
            t.tokens[i] = k_wildcard;
            t.slots[i] = Slot::one;
            changed = true;
        }
    }
    if (changed) t.refresh();
}

void TemplateMiner::Impl::unlink(std::uint32_t index) {
    Template& t = m_templates[index];
    if (t.prev != Template::k_none) m_templates[t.prev].next = t.next;
    else m_lru_head = t.next;
    if (t.next != Template::k_none) m_templates[t.next].prev = t.prev;
    else m_lru_tail = t.prev;
    t.prev = t.next = Template::k_none;
}

void TemplateMiner::Impl::push_front(std::uint32_t index) {
    Template& t = m_templates[index];
    t.prev = Template::k_none;
    t.next = m_lru_head;
    if (m_lru_head != Template::k_none) m_templates[m_lru_head].prev = index;
    m_lru_head = index;
    if (m_lru_tail == Template::k_none) m_lru_tail = index;
}

void TemplateMiner::Impl::touch(std::uint32_t index) {
    if (m_lru_head == index) return;
    unlink(index);
    push_front(index);
}

void TemplateMiner::Impl::evict_one() {
    const std::uint32_t index = m_lru_tail;
    if (index == Template::k_none) return;
    unlink(index);
    index_remove(index);
    Template& t = m_templates[index];
    m_by_id.erase(t.id);
    t.live = false;
    ++t.generation;
    t.tokens.clear();
    t.slots.clear();
    t.example.clear();
    t.text.clear();
    m_free.push_back(index);
    --m_live;
    ++stats.evicted;
}

void TemplateMiner::Impl::index_add(std::uint32_t index) {
    const Template& t = m_templates[index];
    if (t.varlen) m_varlen.push_back(index);
    else m_by_length[static_cast<std::uint32_t>(t.tokens.size())].push_back(index);
}

void TemplateMiner::Impl::index_remove(std::uint32_t index) {
    const Template& t = m_templates[index];
    auto& list = t.varlen ? m_varlen : m_by_length[static_cast<std::uint32_t>(t.tokens.size())];
    list.erase(std::remove(list.begin(), list.end(), index), list.end());
}

void TemplateMiner::Impl::remember(std::uint32_t index) {
    if (m_cache.size() >= k_max_cache) m_cache.clear();  // bounded memory; it refills from use
    m_cache.insert_or_assign(m_key, CacheEntry{index, m_templates[index].generation});
}

// ---------------------------------------------------------------------------------------------
// results

namespace {

void set_param(Event& event, std::size_t& count, std::string_view value, ParamKind kind) {
    if (count < event.params.size()) {
        event.params[count].value.assign(value);
        event.params[count].kind = kind;
    } else {
        event.params.push_back(Param{std::string(value), kind});
    }
    ++count;
}

}  // namespace

void TemplateMiner::Impl::fill(Event& event, std::uint32_t index) {
    const Template& t = m_templates[index];
    event.template_id = t.id;
    event.template_text.assign(t.text);
    const std::string_view msg = event.record.message;
    std::size_t count = 0;
    const std::size_t n = m_masked.tokens.size();
    for (std::size_t i = 0; i < n; ++i) {
        const MaskedToken& tok = m_masked.tokens[i];
        const Slot slot = t.slots[m_align[i]];
        if (slot == Slot::constant || tok.wild) {
            for (std::uint32_t p = 0; p < tok.param_count; ++p) {
                const MaskedParam& mp = m_masked.params[tok.first_param + p];
                set_param(event, count, msg.substr(mp.begin, mp.size), mp.kind);
            }
            continue;
        }
        // a variable slot over literal text: one parameter for the tokens it takes
        std::size_t j = i;
        if (slot == Slot::many)
            while (j + 1 < n && m_align[j + 1] == m_align[i] && !m_masked.tokens[j + 1].wild) ++j;
        const std::size_t b = tok.orig_begin;
        const std::size_t e = m_masked.tokens[j].orig_begin + m_masked.tokens[j].orig_size;
        set_param(event, count, msg.substr(b, e - b), ParamKind::word);
        i = j;
    }
    event.params.resize(count);
}

void TemplateMiner::Impl::fill_unmatched(Event& event) const {
    event.template_id = 0;
    event.template_text = m_key;
    std::size_t count = 0;
    const std::string_view msg = event.record.message;
    for (const MaskedParam& mp : m_masked.params) set_param(event, count, msg.substr(mp.begin, mp.size), mp.kind);
    event.params.resize(count);
}

// ---------------------------------------------------------------------------------------------

namespace {

void build_key(const MaskedMessage& masked, std::string& key) {
    key.clear();
    for (std::size_t i = 0; i < masked.tokens.size(); ++i) {
        if (i) key += ' ';
        key.append(masked.token(i));
    }
}

void identity(std::vector<std::uint32_t>& align, std::size_t n) {
    align.resize(n);
    for (std::size_t i = 0; i < n; ++i) align[i] = static_cast<std::uint32_t>(i);
}

}  // namespace

// A cached template fits its forms by construction; checked anyway, as a loaded state may lie.
bool TemplateMiner::Impl::align_cached(std::uint32_t index) {
    const Template& t = m_templates[index];
    if (t.varlen) return glob_match(t);
    if (t.tokens.size() != m_masked.tokens.size()) return false;
    identity(m_align, m_masked.tokens.size());
    return true;
}

void TemplateMiner::Impl::learn(Event& event) {
    masker.mask(event.record.message, m_masked);
    build_key(m_masked, m_key);
    std::uint32_t index = find_cached(m_key);
    if (index != Template::k_none && !align_cached(index)) index = Template::k_none;
    if (index == Template::k_none) {
        double sim = 0;
        const std::uint32_t fixed = best_fixed(sim);
        if (fixed != Template::k_none && sim >= 1.0) {
            index = fixed;
            identity(m_align, m_masked.tokens.size());
        } else if ((index = best_varlen()) != Template::k_none) {
        } else if (fixed != Template::k_none && sim >= dev_knob("LOGAD_ST", k_similarity)) {
            index = fixed;
            generalize_fixed(m_templates[index]);
            identity(m_align, m_masked.tokens.size());
        } else {
            // a template of another length may turn variable-length to take the message
            index = try_varlen_merge() ? best_varlen() : Template::k_none;
            if (index == Template::k_none) index = create(m_key, event.record.message);
        }
        remember(index);
    }
    Template& t = m_templates[index];
    ++t.count;
    touch(index);
    fill(event, index);
}

bool TemplateMiner::Impl::match(Event& event) {
    masker.mask(event.record.message, m_masked);
    build_key(m_masked, m_key);
    std::uint32_t index = find_cached(m_key);
    if (index != Template::k_none && !align_cached(index)) index = Template::k_none;
    if (index == Template::k_none) {
        double sim = 0;
        const std::uint32_t fixed = best_fixed(sim);
        if (fixed != Template::k_none && sim >= 1.0) {
            index = fixed;
            identity(m_align, m_masked.tokens.size());
        } else if ((index = best_varlen()) != Template::k_none) {
        } else if (fixed != Template::k_none && sim >= dev_knob("LOGAD_ST", k_similarity)) {
            index = fixed;
            identity(m_align, m_masked.tokens.size());
        }
    }
    if (index == Template::k_none) {
        fill_unmatched(event);
        return false;
    }
    fill(event, index);
    return true;
}

// ---------------------------------------------------------------------------------------------
// public face

TemplateMiner::TemplateMiner(MinerOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}
TemplateMiner::~TemplateMiner() = default;
TemplateMiner::TemplateMiner(TemplateMiner&&) noexcept = default;
TemplateMiner& TemplateMiner::operator=(TemplateMiner&&) noexcept = default;

void TemplateMiner::learn(Event& event) { m_impl->learn(event); }
bool TemplateMiner::match(Event& event) const { return m_impl->match(event); }

std::vector<TemplateInfo> TemplateMiner::templates() const {
    std::vector<TemplateInfo> out;
    out.reserve(m_impl->m_live);
    for (const Template& t : m_impl->m_templates)
        if (t.live) out.push_back(TemplateInfo{t.id, t.text, t.count, t.example});
    std::sort(out.begin(), out.end(), [](const TemplateInfo& a, const TemplateInfo& b) { return a.id < b.id; });
    return out;
}

std::size_t TemplateMiner::size() const { return m_impl->m_live; }
const MinerStats& TemplateMiner::stats() const { return m_impl->stats; }

}  // namespace logad::mine
