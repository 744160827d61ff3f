#include "header_pattern.hpp"

#include <logad/error.hpp>

#include <fmt/format.h>

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace logad::parse {
namespace {

// Python would backtrack for ever on pathological formats; we give up and call it a no-match.
constexpr std::uint64_t k_step_budget = 200'000;

// is_loghub_space as one load per byte, for the loops that run on every line
constexpr std::array<bool, 256> make_loghub_spaces() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    return t;
}
constexpr std::array<bool, 256> k_loghub_space = make_loghub_spaces();

// The first Loghub space in [p, end), or end: sixteen bytes at a time where SSE2 is there (every
// x86-64). Most header fields end at a space; a table load per byte cost more than the rest of
// the header's matching.
inline const char* find_loghub_space(const char* p, const char* end) noexcept {
#ifdef __SSE2__
    const auto in_range = [](__m128i x, char lo, char hi) {
        const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(lo));
        return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
    };
    for (; end - p >= 16; p += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // '\t'..'\r', and 0x1c..0x1f with ' ' (0x20) right after them
        const auto bits = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(in_range(x, '\t', '\r'), in_range(x, '\x1c', ' '))));
        if (bits != 0) return p + __builtin_ctz(bits);
    }
#endif
    while (p < end && !k_loghub_space[static_cast<unsigned char>(*p)]) ++p;
    return p;
}

// A literal of the pattern at s: short ones (": ", "] ") byte by byte, without a memcmp call.
inline bool literal_at(const char* s, const char* lit, std::uint32_t size) noexcept {
    if (size > 4) return std::memcmp(s, lit, size) == 0;
    for (std::uint32_t k = 0; k < size; ++k)
        if (s[k] != lit[k]) return false;
    return true;
}

}  // namespace

struct HeaderPattern::Run {
    std::string_view line;
    Span* caps;
    std::uint64_t steps = 0;
};

HeaderPattern::HeaderPattern(std::string_view spec) {
    std::size_t pos = 0;
    compile(spec, pos, 0);
    if (m_names.empty())
        throw UsageError(fmt::format("format '{}' has no <Field>: name the parts of the line, e.g. "
                                     "'<Date> <Time> <Level> <Content>'",
                                     spec));
    m_prog.push_back({Op::end});
    link();
}

void HeaderPattern::add_literal(char c) {
    if (!m_prog.empty() && m_prog.back().op == Op::literal && m_prog.size() > m_barrier) {
        m_text += c;
        ++m_prog.back().b;
        return;
    }
    Instr in{Op::literal};
    in.a = static_cast<std::uint32_t>(m_text.size());
    in.b = 1;
    m_text += c;
    m_prog.push_back(in);
}

void HeaderPattern::compile(std::string_view spec, std::size_t& pos, int depth) {
    const auto where = [&](std::size_t at) { return fmt::format("at column {} of format '{}'", at + 1, spec); };
    while (pos < spec.size()) {
        const char c = spec[pos];
        if (c == '<') {
            const std::size_t close = spec.find_first_of("<>", pos + 1);
            if (close == std::string_view::npos || spec[close] != '>' || close == pos + 1)
                throw UsageError(fmt::format("unbalanced '<' {}: fields are written <Name>", where(pos)));
            std::string name(spec.substr(pos + 1, close - pos - 1));
            for (const auto& n : m_names)
                if (n == name) throw UsageError(fmt::format("field <{}> appears twice in format '{}'", name, spec));
            Instr in{Op::field};
            in.a = static_cast<std::uint32_t>(m_names.size());
            m_names.push_back(std::move(name));
            m_prog.push_back(in);
            pos = close + 1;
        } else if (c == '\\') {
            if (pos + 1 >= spec.size())
                throw UsageError(fmt::format("trailing backslash {}: write \\\\ for a literal one", where(pos)));
            add_literal(spec[pos + 1]);
            pos += 2;
        } else if (c == ' ') {
            while (pos < spec.size() && spec[pos] == ' ') ++pos;
            m_prog.push_back({Op::space});
        } else if (c == '(') {
            const std::size_t split = m_prog.size();
            m_prog.push_back({Op::split});
            m_barrier = m_prog.size();
            ++pos;
            compile(spec, pos, depth + 1);
            if (pos >= spec.size() || spec[pos] != ')')
                throw UsageError(fmt::format("unbalanced '(' {}: close it with ')' or write \\(", where(split)));
            ++pos;
            if (pos < spec.size() && spec[pos] == '?') {
                m_prog[split].a = static_cast<std::uint32_t>(split + 1);
                m_prog[split].b = static_cast<std::uint32_t>(m_prog.size());
                ++pos;
            } else {
                m_prog[split] = {Op::jump};
                m_prog[split].a = static_cast<std::uint32_t>(split + 1);
            }
            m_barrier = m_prog.size();
        } else if (c == ')') {
            if (depth == 0) throw UsageError(fmt::format("unbalanced ')' {}: write \\) for a literal one", where(pos)));
            return;
        } else {
            add_literal(c);
            ++pos;
        }
    }
}

HeaderPattern::First HeaderPattern::first(std::uint32_t pc) const {
    const Instr& in = m_prog[pc];
    First f;
    switch (in.op) {
        case Op::literal: f.chars.set(static_cast<unsigned char>(m_text[in.a])); break;
        case Op::space:
            for (int c = 0; c < 256; ++c)
                if (is_loghub_space(static_cast<char>(c))) f.chars.set(c);
            break;
        case Op::field: f.any = true; break;
        case Op::split: {
            f = first(in.a);
            const First g = first(in.b);
            f.chars |= g.chars;
            f.any |= g.any;
            f.end |= g.end;
            break;
        }
        case Op::jump: f = first(in.a); break;
        case Op::end: f.end = true; break;
    }
    return f;
}

void HeaderPattern::link() {
    for (std::uint32_t pc = 0; pc + 1 < m_prog.size(); ++pc) {
        Instr& in = m_prog[pc];
        if (in.op != Op::field && in.op != Op::space) continue;
        const First f = first(pc + 1);
        if (in.op == Op::space) {
            bool space_ok = f.any;
            for (int c = 0; c < 256 && !space_ok; ++c)
                space_ok = f.chars.test(c) && is_loghub_space(static_cast<char>(c));
            in.greedy_only = !space_ok;
            continue;
        }
        in.next_end = f.end;
        if (f.any) {
            in.next = Next::any;
        } else if (f.chars.none()) {
            in.next = Next::end_only;
        } else if (f.chars.count() == 1) {
            in.next = Next::one_char;
            for (int c = 0; c < 256; ++c)
                if (f.chars.test(c)) in.ch = static_cast<char>(c);
        } else {
            in.next = Next::char_set;
            in.b = static_cast<std::uint32_t>(m_sets.size());
            std::array<bool, 256>& table = m_sets.emplace_back();
            for (int c = 0; c < 256; ++c) table[c] = f.chars.test(c);
            in.set_is_spaces = table == k_loghub_space;
        }
    }
}

bool HeaderPattern::match(std::string_view line, Span* caps) const noexcept {
    if (line.size() >= Span::k_unset) return false;
    for (std::size_t i = 0; i < m_names.size(); ++i) caps[i] = {0, Span::k_unset};
    if (first_path(line, caps)) return true;
    for (std::size_t i = 0; i < m_names.size(); ++i) caps[i] = {0, Span::k_unset};
    Run r{line, caps};
    return run(0, 0, r);
}

// Follows only the first choice at each step, in the order run() tries them (a lazy field
// ends at its first candidate, a space run is taken whole, an optional part is taken). When
// that path matches, it is the match run() would return, found without recursion; when it
// does not, run() searches the rest.
bool HeaderPattern::first_path(std::string_view s, Span* caps) const noexcept {
    const std::size_t n = s.size();
    std::size_t pos = 0;
    for (std::uint32_t pc = 0;;) {
        const Instr& in = m_prog[pc];
        switch (in.op) {
            case Op::literal:
                if (n - pos < in.b || !literal_at(s.data() + pos, m_text.data() + in.a, in.b)) return false;
                pos += in.b;
                ++pc;
                continue;
            case Op::space: {
                const std::size_t start = pos;
                while (pos < n && k_loghub_space[static_cast<unsigned char>(s[pos])]) ++pos;
                if (pos == start) return false;
                ++pc;
                continue;
            }
            case Op::field: {
                Span& cap = caps[in.a];
                cap.begin = static_cast<std::uint32_t>(pos);
                std::size_t e = pos;
                switch (in.next) {
                    case Next::end_only: e = n; break;
                    case Next::one_char: {
                        const void* hit = pos < n ? std::memchr(s.data() + pos, in.ch, n - pos) : nullptr;
                        if (hit) e = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
                        else if (in.next_end) e = n;
                        else return false;
                        break;
                    }
                    case Next::char_set: {
                        if (in.set_is_spaces) {
                            e = static_cast<std::size_t>(find_loghub_space(s.data() + e, s.data() + n) - s.data());
                        } else {
                            const auto& set = m_sets[in.b];
                            while (e < n && !set[static_cast<unsigned char>(s[e])]) ++e;
                        }
                        if (e == n && !in.next_end) return false;
                        break;
                    }
                    case Next::any: break;
                }
                cap.end = static_cast<std::uint32_t>(e);
                pos = e;
                ++pc;
                continue;
            }
            case Op::split: pc = in.a; continue;
            case Op::jump: pc = in.a; continue;
            case Op::end: return pos == n;
        }
    }
}

bool HeaderPattern::run(std::uint32_t pc, std::size_t pos, Run& r) const noexcept {
    const std::string_view s = r.line;
    const std::size_t n = s.size();
    for (;;) {
        if (++r.steps > k_step_budget) return false;
        const Instr& in = m_prog[pc];
        switch (in.op) {
            case Op::literal: {
                if (n - pos < in.b) return false;
                const char* lit = m_text.data() + in.a;
                for (std::uint32_t k = 0; k < in.b; ++k)
                    if (s[pos + k] != lit[k]) return false;
                pos += in.b;
                ++pc;
                continue;
            }
            case Op::space: {
                std::size_t e = pos;
                while (e < n && is_loghub_space(s[e])) ++e;
                if (e == pos) return false;
                if (in.greedy_only) {
                    pos = e;
                    ++pc;
                    continue;
                }
                for (std::size_t k = e; k > pos; --k)
                    if (run(pc + 1, k, r)) return true;
                return false;
            }
            case Op::field: {
                Span& cap = r.caps[in.a];
                const Span saved = cap;
                cap.begin = static_cast<std::uint32_t>(pos);
                const auto attempt = [&](std::size_t end) {
                    cap.end = static_cast<std::uint32_t>(end);
                    return run(pc + 1, end, r);
                };
                switch (in.next) {
                    case Next::end_only:
                        if (attempt(n)) return true;
                        break;
                    case Next::one_char:
                        for (std::size_t e = pos; e < n;) {
                            const void* hit = std::memchr(s.data() + e, in.ch, n - e);
                            if (!hit) break;
                            e = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
                            if (attempt(e)) return true;
                            ++e;
                        }
                        if (in.next_end && attempt(n)) return true;
                        break;
                    case Next::char_set: {
                        const auto& set = m_sets[in.b];
                        for (std::size_t e = pos; e < n; ++e)
                            if (set[static_cast<unsigned char>(s[e])] && attempt(e)) return true;
                        if (in.next_end && attempt(n)) return true;
                        break;
                    }
                    case Next::any:
                        for (std::size_t e = pos; e <= n; ++e)
                            if (attempt(e)) return true;
                        break;
                }
                cap = saved;
                return false;
            }
            case Op::split:
                if (run(in.a, pos, r)) return true;
                pc = in.b;
                continue;
            case Op::jump: pc = in.a; continue;
            case Op::end: return pos == n;
        }
    }
}

}  // namespace logad::parse
