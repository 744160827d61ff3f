// The online miner. For each message: mask it; if this masked form was seen before, reuse its
// template (the common case, a hash lookup); otherwise search the templates with the same token
// count (Drain-like similarity: share of positions whose constant tokens agree, first token
// must agree), then the variable-length templates (glob match), then try to turn a template of
// another length into a variable-length one (common prefix and suffix, one differing middle),
// and else create a template. Templates only ever generalise, so a cached form stays valid.
#include "miner_impl.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>

namespace logad::mine {
namespace {

constexpr double k_similarity = 0.5;        // share of agreeing constants, Drain's usual threshold
constexpr std::uint32_t k_max_differ = 1;    // constants a merge may turn into variables
constexpr std::size_t k_max_length_gap = 4;  // a variable may span up to this many more tokens
constexpr std::size_t k_max_cache = 1u << 20;
constexpr std::size_t k_max_cache_bytes = std::size_t{64} << 20;  // of masked forms: 1M of 64 bytes
// A dead template's buffers are kept for the next one (fewer allocations), unless it was this
// large: a huge one would otherwise hold its memory after eviction.
constexpr std::size_t k_reuse_bytes = std::size_t{64} << 10;
// Templates that share a first token are searched by alignment; when an explosion of unique
// messages shares one (`[worker-<*>]`), only the newest this many are tried, or every new line
// would align against all of them.
constexpr std::size_t k_max_same_first = 64;

// two masked tokens whose letters differ (uid=<*> and LOGIN(uid=<*>)): different fields
bool different_keys(std::string_view a, std::string_view b) {
    const auto letters = [](std::string_view s, std::string& out) {
        out.clear();
        for (char c : s)
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) out += c;
    };
    if (a.find("<*>") == std::string_view::npos || b.find("<*>") == std::string_view::npos) return false;
    thread_local std::string la, lb;
    letters(a, la);
    letters(b, lb);
    return !la.empty() && !lb.empty() && la != lb;
}

// The punctuation skeleton of a compound token (dotted names, paths, URLs, `name(<*>)`): the
// distinct separators in order of first appearance, `<*>` as one of them, letters, digits, `_`
// and `-` left out; 0 for a token without a separator inside it (a plain word, perhaps with
// punctuation around it), or with `=` (a key=value token names its field: same_value_shape
// compares the values of two tokens with the same key).
// Two tokens of the same skeleton are one value's shape written twice (`com.tencent.mm.ui.X`
// and `com.example.Y`; `https://a.b/c` and `https://d.e.f/g`): natural-language words of an
// event have no such inner structure, so a difference there is a value, not another event.
std::uint64_t value_shape(std::string_view s) {
    const auto word_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    std::size_t b = 0, e = s.size();
    while (b < e && !word_char(s[b]) && s.substr(b, 3) != k_wildcard) ++b;
    while (e > b && !word_char(s[e - 1]) && !(e >= 3 && s.substr(e - 3, 3) == k_wildcard)) --e;
    bool inner = false;
    for (std::size_t i = b; i < e; ++i) inner |= !word_char(s[i]);
    if (!inner) return 0;
    std::uint64_t shape = 0;
    int held = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (word_char(c)) continue;
        if (c == '=') return 0;
        if (s.substr(i, 3) == k_wildcard) {
            // `symbol+<*>`: the masker's stack frame, whose symbol is the event (issue 12)
            if (i > 0 && s[i - 1] == '+') return 0;
            c = '*';
            i += 2;
        }
        bool seen = false;
        for (int k = 0; k < held && !seen; ++k) seen = static_cast<char>(shape >> (8 * k)) == c;
        if (seen) continue;
        if (held == 8) break;
        shape |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << (8 * held++);
    }
    return shape;
}

bool same_value_shape(std::string_view a, std::string_view b) {
    // key=value tokens: the same key, and values of one compound shape (`url=https://a.b/c`)
    const std::size_t ka = a.rfind('='), kb = b.rfind('=');
    if (ka != std::string_view::npos || kb != std::string_view::npos) {
        if (ka != kb || a.substr(0, ka) != b.substr(0, kb)) return false;
        a.remove_prefix(ka + 1);
        b.remove_prefix(kb + 1);
    }
    const std::uint64_t shape = value_shape(a);
    return shape != 0 && shape == value_shape(b);
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

namespace {

std::size_t first_token_hash(std::string_view token) { return std::hash<std::string_view>{}(token) | 1; }  // never 0

}  // namespace

void Template::refresh() {
    text.clear();
    constants = 0;
    hashes.resize(tokens.size());
    words.resize(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i) text += ' ';
        text += tokens[i];
        if (slots[i] == Slot::constant) ++constants;
        hashes[i] = token_hash(tokens[i]) | 1;  // never 0, which stands for a variable
        words[i] = slots[i] == Slot::constant && is_word(tokens[i]);
    }
    first_hash = !tokens.empty() && slots[0] == Slot::constant ? first_token_hash(tokens[0]) : 0;
    second_hash = tokens.size() > 1 && slots[1] == Slot::constant && is_word(tokens[1]) && !introduces_name(tokens[0])
                      ? first_token_hash(tokens[1])
                      : 0;
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
    std::uint32_t best = Template::k_none;
    std::uint32_t best_vars = 0;
    std::uint64_t best_seq = 0;
    // A constant first token that differs from the message's rejects a template, so does a
    // different word at position 1: only the lists of the message's first two tokens (and of
    // templates with no constraint there) are read, not those a template explosion fills; a
    // message with a variable in either position reads all templates of its length.
    const std::size_t first = n > 0 && !m_masked.tokens[0].wild ? first_token_hash(m_masked.token(0)) : 0;
    // Two different words at position 1 reject it as well (unless position 0 introduces a name).
    const std::size_t second =
        n > 1 && !m_masked.tokens[1].wild && is_word(m_masked.token(1)) ? first_token_hash(m_masked.token(1)) : 0;
    const auto scan = [&](const Bucket& bucket) {
    for (const LengthEntry& e : bucket.entries) {
        if (first && e.first_hash && e.first_hash != first) continue;
        if (second && e.second_hash && e.second_hash != second) continue;
        if (!valid(e)) continue;
        const std::uint32_t index = e.index;
        const Template& t = m_templates[index];
        // Only positions where both sides hold constant text are evidence; variables on either
        // side say nothing about whether the two are the same event.
        std::uint32_t equal = 0, differ = 0, vars = 0, shaped = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (t.slots[i] != Slot::constant) {
                ++vars;
            } else if (m_masked.tokens[i].wild) {
                ++differ;
            } else if (t.tokens[i] == m_masked.token(i)) {
                ++equal;
            } else {
                ++differ;
                // Two values of one compound shape: a variable (any number of them, within
                // the similarity bound)
                // (position 1 only where no word is filed there: the quick reject by its hash
                // keeps a line's search to its own lists, see Template::second_hash)
                if (i > 0 && same_value_shape(t.tokens[i], m_masked.token(i))) {
                    ++shaped;
                    if (2 * differ > t.constants) {  // past half the constants: below k_similarity
                        equal = 0;
                        break;
                    }
                    continue;
                }
                // Two different words (or two different keys) are two events, unless the word
                // is a name (`user root` / `user news`); this keeps `VM Paused` apart from
                // `VM Resumed`, which Drain's similarity alone merges.
                const bool words = is_word(t.tokens[i]) && is_word(m_masked.token(i));
                if ((words || different_keys(t.tokens[i], m_masked.token(i))) &&
                    !(i > 0 && introduces_name(t.tokens[i - 1]))) {
                    equal = 0;
                    break;
                }
                if (i == 0 || differ - shaped > k_max_differ) {  // the first token must agree
                    equal = 0;
                    break;
                }
            }
        }
        const double sim = equal + differ ? static_cast<double>(equal) / static_cast<double>(equal + differ) : 1.0;
        if (equal == 0 && differ > 0) continue;
        if (sim > similarity || (sim == similarity && (vars > best_vars || (vars == best_vars && e.seq < best_seq)))) {
            similarity = sim;
            best = index;
            best_vars = vars;
            best_seq = e.seq;
        }
    }
    };
    if (first && second) {
        // exactly the templates the two checks above let through, without reading the others
        for (const std::size_t f : {first, std::size_t(0)})
            for (const std::size_t g : {second, std::size_t(0)})
                if (const auto it = m_by_first_token.find(first_key(n, f, g)); it != m_by_first_token.end())
                    scan(it->second);
    } else if (const auto it = m_by_length.find(static_cast<std::uint32_t>(n)); it != m_by_length.end()) {
        scan(it->second);
    }
    return best;
}

// Glob match of the masked message against a template whose `many` slots take 0+ tokens;
// fills m_align. Backtracking is bounded by a step budget (templates have few `many` slots).
bool TemplateMiner::Impl::glob_match(const Template& t) const {
    auto& align = const_cast<std::vector<std::uint32_t>&>(m_align);
    align.resize(m_masked.tokens.size());
    std::size_t budget = 20000;
    return glob_from(t, 0, 0, budget);
}

bool TemplateMiner::Impl::glob_from(const Template& t, std::size_t si, std::size_t ti, std::size_t& budget) const {
    auto& align = const_cast<std::vector<std::uint32_t>&>(m_align);
    const std::size_t n = m_masked.tokens.size(), m = t.tokens.size();
    for (;;) {
        if (budget == 0) return false;
        --budget;
        if (si == m) return ti == n;
        if (t.slots[si] == Slot::many) break;
        if (ti == n) return false;
        if (t.slots[si] == Slot::constant && t.tokens[si] != m_masked.token(ti)) return false;
        align[ti++] = static_cast<std::uint32_t>(si++);
    }
    // a `many` slot: try taking 0, 1, 2... tokens
    for (std::size_t k = ti;; ++k) {
        if (glob_from(t, si + 1, k, budget)) {
            for (std::size_t x = ti; x < k; ++x) align[x] = static_cast<std::uint32_t>(si);
            return true;
        }
        if (k == n || budget == 0) return false;
    }
}

TemplateMiner::Impl::FirstRange TemplateMiner::Impl::same_first() const {
    const std::string_view first = m_masked.tokens.empty() ? std::string_view() : m_masked.token(0);
    const auto it = m_by_first.find(first);
    if (it == m_by_first.end()) return {};
    const auto& list = it->second;  // oldest first
    const std::size_t skip = list.size() > k_max_same_first ? list.size() - k_max_same_first : 0;
    return {list.begin() + static_cast<std::ptrdiff_t>(skip), list.end()};
}

std::uint32_t TemplateMiner::Impl::best_varlen() const {
    std::uint32_t best = Template::k_none;
    std::uint32_t best_constants = 0;
    for (std::uint32_t index : same_first()) {
        const Template& t = m_templates[index];
        if (!t.varlen || (best != Template::k_none && t.constants <= best_constants)) continue;
        if (glob_match(t)) {
            best = index;
            best_constants = t.constants;
        }
    }
    if (best != Template::k_none) glob_match(m_templates[best]);  // m_align for the winner
    return best;
}

namespace {

bool pure_constant(std::string_view token) { return token.find(k_wildcard) == std::string_view::npos; }

}  // namespace

// Aligns the message with templates that start the same way (longest common subsequence of
// constant tokens) and, when the shared constants clearly dominate, turns each differing run
// into one `<*>` that may span any number of tokens: `user Bob logged in` and
// `user John Smith logged in` give `user <*> logged in`. Returns the template or k_none.
std::uint32_t TemplateMiner::Impl::align_merge() {
    const std::size_t n = m_masked.tokens.size();
    const auto list = same_first();
    if (list.empty() || n < 2) return Template::k_none;
    struct Plan {
        std::vector<std::string> tokens;
        std::vector<Slot> slots;
    };
    std::uint32_t best = Template::k_none;
    std::size_t best_kept = 0;
    Plan best_plan, plan;
    std::vector<std::uint16_t> dp;
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    // the message's token hashes (as Template::hashes), sorted: a template none of whose other
    // constants occurs in the message cannot keep two anchors, and is skipped before the LCS
    m_hashes.resize(n - 1);
    for (std::size_t j = 1; j < n; ++j) m_hashes[j - 1] = token_hash(m_masked.token(j)) | 1;
    std::sort(m_hashes.begin(), m_hashes.end());
    for (std::uint32_t index : list) {
        const Template& t = m_templates[index];
        const std::size_t m = t.tokens.size();
        if (m < 2 || m * n > 4096 || (m > n ? m - n : n - m) > 2 * k_max_length_gap) continue;
        if (m == n && !t.varlen) continue;  // same length: best_fixed decided already
        bool anchor = false;
        for (std::size_t i = 1; i < m && !anchor; ++i)
            anchor = t.slots[i] == Slot::constant && std::binary_search(m_hashes.begin(), m_hashes.end(), t.hashes[i]);
        if (!anchor) continue;
        // LCS of constants over t[1..m) and message[1..n), the first tokens being equal
        const std::size_t W = n;
        dp.assign(m * n, 0);
        const auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& { return dp[i * W + j]; };
        const auto match = [&](std::size_t i, std::size_t j) {
            return t.slots[i] == Slot::constant && !m_masked.tokens[j].wild && t.tokens[i] == m_masked.token(j);
        };
        for (std::size_t i = m - 1; i >= 1; --i)
            for (std::size_t j = n - 1; j >= 1; --j) {
                const std::uint16_t down = i + 1 < m ? at(i + 1, j) : 0, right = j + 1 < n ? at(i, j + 1) : 0;
                std::uint16_t v = std::max(down, right);
                if (match(i, j)) v = std::max<std::uint16_t>(v, 1 + (i + 1 < m && j + 1 < n ? at(i + 1, j + 1) : 0));
                at(i, j) = v;
            }
        pairs.clear();
        pairs.emplace_back(0, 0);
        for (std::size_t i = 1, j = 1; i < m && j < n;) {
            const std::uint16_t here = at(i, j);
            if (here == 0) break;
            if (match(i, j) && here == 1 + (i + 1 < m && j + 1 < n ? at(i + 1, j + 1) : 0)) {
                pairs.emplace_back(i++, j++);
            } else if (i + 1 < m && at(i + 1, j) == here) {
                ++i;
            } else {
                ++j;
            }
        }
        pairs.emplace_back(m, n);  // sentinel
        // walk the gaps between anchors
        plan.tokens.clear();
        plan.slots.clear();
        std::size_t kept = t.slots[0] == Slot::constant ? 1 : 0, lost_t = 0, lost_m = 0, changed = 0;
        bool ok = true;
        for (std::size_t k = 0; k + 1 < pairs.size() && ok; ++k) {
            const auto [ti, mi] = pairs[k];
            if (k > 0) ++kept;
            plan.tokens.push_back(t.tokens[ti]);
            plan.slots.push_back(t.slots[ti]);
            const std::size_t ta = ti + 1, tb = pairs[k + 1].first, ma = mi + 1, mb = pairs[k + 1].second;
            if (ta == tb && ma == mb) continue;
            // unchanged: the template already has variables that take the message's tokens
            if (tb - ta == mb - ma) {
                bool same = true;
                for (std::size_t x = 0; x < tb - ta && same; ++x) same = t.slots[ta + x] != Slot::constant;
                if (same) {
                    for (std::size_t x = ta; x < tb; ++x) {
                        plan.tokens.push_back(t.tokens[x]);
                        plan.slots.push_back(t.slots[x]);
                    }
                    continue;
                }
            }
            if (tb - ta == 1 && t.slots[ta] == Slot::many) {
                plan.tokens.emplace_back(k_wildcard);
                plan.slots.push_back(Slot::many);
                continue;
            }
            if (tb - ta == 1 && mb - ma == 1 && !pure_constant(t.tokens[ta]) && !pure_constant(m_masked.token(ma))) {
                plan.tokens.emplace_back(k_wildcard);  // `<<*>` against `<*>`: a variable either way
                plan.slots.push_back(Slot::one);
                continue;
            }
            if (ta == tb || ma == mb) {  // an extra token on one side only: a different event
                ok = false;
                break;
            }
            ++changed;
            std::size_t lt = 0, lm = 0;
            for (std::size_t x = ta; x < tb; ++x) lt += t.slots[x] == Slot::constant && pure_constant(t.tokens[x]);
            for (std::size_t x = ma; x < mb; ++x)
                lm += !m_masked.tokens[x].wild && pure_constant(m_masked.token(x));
            // a lost word that is not a name is a different event (as in best_fixed)
            // and words of the message go into a variable only in place of a name
            if ((lt > 0 || lm > 0) && !introduces_name(t.tokens[ta - 1])) ok = false;
            lost_t += lt;
            lost_m += lm;
            if (mb - ma > k_max_length_gap + 1 || tb - ta > k_max_length_gap + 1) ok = false;
            plan.tokens.emplace_back(k_wildcard);
            plan.slots.push_back(Slot::many);
        }
        if (!ok || changed == 0 || changed > 2 || lost_t > 1 || kept < 2 || kept < lost_t + lost_m + changed) continue;
        if (kept > best_kept) {
            best = index;
            best_kept = kept;
            std::swap(best_plan, plan);
        }
    }
    if (best == Template::k_none) return best;
    Template& t = m_templates[best];
    index_remove(best);
    t.tokens = std::move(best_plan.tokens);
    t.slots = std::move(best_plan.slots);
    t.varlen = true;
    t.refresh();
    index_add(best);
    return glob_match(t) ? best : Template::k_none;
}

// ---------------------------------------------------------------------------------------------
// changes

std::uint32_t TemplateMiner::Impl::allocate_id(std::string_view key) const {
    std::uint32_t id = fnv1a32(key);
    // collisions: the next free id, so the same history always gives the same ids
    // an id that was merged away keeps resolving to its survivor, so it is not handed out again
    while (id == 0 || m_by_id.count(id) || m_alias.count(id)) ++id;
    return id;
}

std::uint32_t TemplateMiner::Impl::create(std::string_view key, std::string_view message,
                                          const std::vector<bool>* variables) {
    if (options.max_templates > 0 && m_live >= options.max_templates) evict_one();
    std::size_t long_tokens = 0;
    for (const MaskedToken& token : m_masked.tokens)
        if (token.text_size > k_short_string) long_tokens += token.text_size + 1;
    const std::size_t bytes = template_bytes(m_masked.tokens.size(), long_tokens, m_masked.text.size(), message.size());
    while (m_lru_tail != Template::k_none && m_bytes + bytes > options.max_bytes) evict_one();
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
        if (variables && (*variables)[i]) {
            t.tokens.back() = k_wildcard;
            t.slots.back() = Slot::one;
        }
    }
    t.varlen = false;
    t.count = 0;
    t.example.assign(message);
    t.bytes = bytes;
    m_bytes += bytes;
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
    const auto index = static_cast<std::uint32_t>(&t - m_templates.data());
    const auto differs = [&](std::size_t i) { return t.slots[i] == Slot::constant && t.tokens[i] != m_masked.token(i); };
    // The search indexes are keyed by the first two tokens: a template whose leading token turns
    // into a variable is filed again, or searches by its old first token would still find it.
    // (and the length lists keep hashes of the first four tokens, LengthEntry::lead)
    bool leading = false;
    for (std::size_t i = 0; i < t.tokens.size() && i < 4; ++i) leading |= differs(i);
    if (leading) index_remove(index);
    bool changed = false;
    for (std::size_t i = 0; i < t.tokens.size(); ++i) {
        if (differs(i)) {
            t.tokens[i] = k_wildcard;
            t.slots[i] = Slot::one;
            changed = true;
        }
    }
    if (changed) t.refresh();
    if (leading) index_add(index);
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
    kill(index);
    ++stats.evicted;
}

void TemplateMiner::Impl::kill(std::uint32_t index) {
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
    if (t.bytes > k_reuse_bytes) {  // a huge one gives its buffers back
        std::vector<std::string>().swap(t.tokens);
        std::vector<Slot>().swap(t.slots);
        std::string().swap(t.example);
        std::string().swap(t.text);
        std::vector<std::uint32_t>().swap(t.hashes);
        std::vector<bool>().swap(t.words);
    }
    m_bytes -= t.bytes;
    t.bytes = 0;
    m_free.push_back(index);
    --m_live;
}

void TemplateMiner::Impl::index_add(std::uint32_t index) {
    const Template& t = m_templates[index];
    if (!t.varlen) {
        LengthEntry e{index, t.first_hash, t.second_hash, {}, t.filing, m_filings++};
        for (std::size_t i = 0; i < e.lead.size() && i < t.tokens.size(); ++i)
            e.lead[i] = t.slots[i] == Slot::constant ? t.hashes[i] : 0;
        m_by_length[static_cast<std::uint32_t>(t.tokens.size())].entries.push_back(e);
        m_by_first_token[first_key(t.tokens.size(), t.first_hash, t.second_hash)].entries.push_back(e);
    }
    m_by_first[t.tokens.empty() ? std::string() : t.tokens[0]].push_back(index);
}

void TemplateMiner::Impl::index_remove(std::uint32_t index) {
    const Template& t = m_templates[index];
    const auto drop = [index](std::deque<std::uint32_t>& list) {
        // listed once; erasing near the front (the usual eviction) moves only the front part
        if (const auto pos = std::find(list.begin(), list.end(), index); pos != list.end()) list.erase(pos);
    };
    if (!t.varlen) {
        ++m_templates[index].filing;  // its entries are stale from now on
        const auto length = static_cast<std::uint32_t>(t.tokens.size());
        if (const auto it = m_by_length.find(length); it != m_by_length.end() && unfile(it->second))
            m_by_length.erase(it);
        const std::uint64_t key = first_key(t.tokens.size(), t.first_hash, t.second_hash);
        if (const auto it = m_by_first_token.find(key); it != m_by_first_token.end() && unfile(it->second))
            m_by_first_token.erase(it);
    }
    const auto it = m_by_first.find(t.tokens.empty() ? std::string_view() : std::string_view(t.tokens[0]));
    if (it != m_by_first.end()) {
        drop(it->second);
        if (it->second.empty()) m_by_first.erase(it);
    }
}

bool TemplateMiner::Impl::unfile(Bucket& bucket) {
    auto& list = bucket.entries;
    if (++bucket.stale >= list.size()) {
        list.clear();  // all stale: the caller drops the list
        return true;
    }
    if (bucket.stale * 2 <= list.size() + 16) return false;
    list.erase(std::remove_if(list.begin(), list.end(), [this](const LengthEntry& e) { return !valid(e); }), list.end());
    bucket.stale = 0;
    return list.empty();
}

void TemplateMiner::Impl::remember(std::uint32_t index) {
    if (m_cache.size() >= k_max_cache || m_cache_bytes + m_masked.text.size() > k_max_cache_bytes) {
        m_cache.clear();  // bounded memory; it refills from use
        m_cache_bytes = 0;
    }
    const auto [it, added] = m_cache.insert_or_assign(m_masked.text, CacheEntry{index, m_templates[index].generation});
    if (added) m_cache_bytes += it->first.size();
}

// ---------------------------------------------------------------------------------------------
// results

namespace {

// Copies `value` (which is not inside `to`) into `to`. When it is no longer than what `to` holds
// (a parameter in the same place of the last message, as a block id or an address, often is),
// a copy and a new length, inline; else an append to the emptied string. string::assign's
// general path (it checks for a text inside the string) was a third of filling the parameters.
inline void assign_text(std::string& to, std::string_view value) {
    if (value.size() <= to.size()) {
        std::memcpy(to.data(), value.data(), value.size());
        to.erase(value.size());
    } else {
        to.clear();
        to.append(value);
    }
}

void set_param(Event& event, std::size_t& count, std::string_view value, ParamKind kind) {
    if (count < event.params.size()) {
        assign_text(event.params[count].value, value);
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
                set_param(event, count, std::string_view(msg.data() + mp.begin, mp.size), mp.kind);
            }
            continue;
        }
        // a variable slot over literal text: one parameter for the tokens it takes
        std::size_t j = i;
        if (slot == Slot::many)
            while (j + 1 < n && m_align[j + 1] == m_align[i] && !m_masked.tokens[j + 1].wild) ++j;
        const std::size_t b = tok.orig_begin;
        const std::size_t e = m_masked.tokens[j].orig_begin + m_masked.tokens[j].orig_size;
        set_param(event, count, std::string_view(msg.data() + b, e - b), ParamKind::word);
        i = j;
    }
    event.params.resize(count);
}

void TemplateMiner::Impl::fill_unmatched(Event& event) const {
    event.template_id = 0;
    event.template_text = m_masked.text;
    std::size_t count = 0;
    const std::string_view msg = event.record.message;
    for (const MaskedParam& mp : m_masked.params) set_param(event, count, msg.substr(mp.begin, mp.size), mp.kind);
    event.params.resize(count);
}

// ---------------------------------------------------------------------------------------------

namespace {

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

// A new template for the message. When it nearly fits a template (one or two words differ), it
// starts with that template's variables and both are filed as evidence; if that evidence makes
// the differing words variables, the group merges and the message goes to the survivor.
std::uint32_t TemplateMiner::Impl::create_with_evidence(std::string_view message) {
    const NearMiss near = nearest_by_words();
    if (near.index == Template::k_none) return create(m_masked.text, message);
    const Template& like = m_templates[near.index];
    const std::uint32_t near_id = like.id;
    m_variables.assign(like.slots.size(), false);
    for (std::size_t i = 0; i < like.slots.size(); ++i) m_variables[i] = like.slots[i] != Slot::constant;
    const std::uint32_t index = create(m_masked.text, message, &m_variables);
    return add_evidence(near_id, near.p, near.q, index);
}

void TemplateMiner::Impl::learn(Event& event) {
    masker.mask(event.record.message, m_masked);
    learn_masked(event);
}

void TemplateMiner::Impl::learn_masked(Event& event) {
    std::uint32_t index = find_cached(m_masked.text);
    if (index != Template::k_none && !align_cached(index)) index = Template::k_none;
    if (index == Template::k_none) {
        double sim = 0;
        const std::uint32_t fixed = best_fixed(sim);
        if (fixed != Template::k_none && sim >= 1.0) {
            index = fixed;
            identity(m_align, m_masked.tokens.size());
        } else if ((index = best_varlen()) != Template::k_none) {
        } else if (fixed != Template::k_none && sim >= k_similarity) {
            index = fixed;
            generalize_fixed(m_templates[index]);
            identity(m_align, m_masked.tokens.size());
        } else {
            // a template of another length may turn variable-length to take the message
            index = align_merge();
            if (index == Template::k_none) index = create_with_evidence(event.record.message);
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
    std::uint32_t index = find_cached(m_masked.text);
    if (index != Template::k_none && !align_cached(index)) index = Template::k_none;
    if (index == Template::k_none) {
        double sim = 0;
        const std::uint32_t fixed = best_fixed(sim);
        if (fixed != Template::k_none && sim >= 1.0) {
            index = fixed;
            identity(m_align, m_masked.tokens.size());
        } else if ((index = best_varlen()) != Template::k_none) {
        } else if (fixed != Template::k_none && sim >= k_similarity) {
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
void TemplateMiner::learn_masked(Event& event, MaskedMessage& masked) {
    std::swap(m_impl->m_masked, masked);  // buffers trade places: no copy, no allocation
    m_impl->learn_masked(event);
    // The caller's slot got the buffers of the message before: when that was a huge one, they
    // go, or they would wander from slot to slot (every slot in flight holding the longest).
    if (masked.text.capacity() + masked.scratch.capacity() + masked.tokens.capacity() * sizeof(MaskedToken) > k_reuse_bytes)
        (void)std::exchange(masked, MaskedMessage{});  // taken out: a string assigned an empty one keeps its buffer
}
const Masker& TemplateMiner::masker() const { return m_impl->masker; }
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
std::size_t TemplateMiner::bytes() const { return m_impl->m_bytes; }
std::uint32_t TemplateMiner::resolve(std::uint32_t id) const { return m_impl->resolve(id); }

void refresh_merged(const TemplateMiner& miner, std::vector<Event>& events) {
    std::unordered_map<std::uint32_t, std::string> current;  // id -> its text now
    for (auto& t : miner.templates()) current.emplace(t.id, std::move(t.text));
    for (Event& e : events) {
        const std::uint32_t survivor = miner.resolve(e.template_id);
        const auto now = current.find(survivor);
        if (survivor == e.template_id && (now == current.end() || now->second == e.template_text)) continue;
        Event again;
        again.record = e.record;
        if (miner.match(again) && miner.resolve(again.template_id) == survivor) {
            e.template_text = std::move(again.template_text);
            e.params = std::move(again.params);
        } else if (now != current.end()) {
            e.template_text = now->second;
        }
        e.template_id = survivor;
    }
}
const MinerStats& TemplateMiner::stats() const { return m_impl->stats; }

}  // namespace logad::mine
