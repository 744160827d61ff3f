#pragma once
// A Loghub header format string ("<Date> <Time> <Level> \[<Pid>\] <Component>: <Content>")
// compiled once into a tiny backtracking program. Its matches equal those of the regex the Loghub
// benchmark builds from the same string: "^" + fields as (?P<Name>.*?) + "$", each run of spaces
// as \s+, the rest taken as regex text. Of that regex text we support what the benchmark's format
// strings use: `\x` is a literal x, `(...)?` an optional part, `(...)` a group; every other
// character is literal. The match is the one Python's backtracking engine picks: fields are lazy
// (shortest first), \s+ is greedy, an optional part is tried present first.
#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace logad::parse {

// Trivial on purpose: a stack array of them costs nothing per line.
struct Span {
    std::uint32_t begin;
    std::uint32_t end;
    bool set() const noexcept { return end != k_unset; }
    static constexpr std::uint32_t k_unset = 0xffffffffu;
};

class HeaderPattern {
public:
    // Throws UsageError for unbalanced ( or <, a trailing backslash, a repeated name or no field.
    explicit HeaderPattern(std::string_view spec);

    const std::vector<std::string>& names() const noexcept { return m_names; }

    // `caps` has names().size() entries; fields that did not take part get Span::k_unset ends.
    // False when the line does not match (or is too ambiguous to decide within a step budget).
    bool match(std::string_view line, Span* caps) const noexcept;

private:
    enum class Op : std::uint8_t { literal, space, field, split, jump, end };
    // How a lazy field finds where it may end: where the rest of the pattern can begin.
    enum class Next : std::uint8_t { any, end_only, one_char, char_set };
    struct Instr {
        Op op;
        Next next = Next::any;     // field: candidates for its end
        bool next_end = false;     // field: the rest may also match at end of line
        bool greedy_only = false;  // space: the rest cannot start with whitespace, no give-back
        bool set_is_spaces = false;  // field with char_set: the set is the Loghub whitespace
        char ch = 0;               // field with Next::one_char
        std::uint32_t a = 0;       // literal: offset in m_text; field: index; split/jump: target
        std::uint32_t b = 0;       // literal: length; split: second target; field with char_set: set
    };
    struct First {
        std::bitset<256> chars;
        bool any = false;
        bool end = false;
    };
    struct Run;

    void compile(std::string_view spec, std::size_t& pos, int depth);
    void add_literal(char c);
    First first(std::uint32_t pc) const;
    void link();
    bool run(std::uint32_t pc, std::size_t pos, Run& r) const noexcept;
    bool first_path(std::string_view line, Span* caps) const noexcept;

    std::vector<Instr> m_prog;
    std::string m_text;  // literal bytes
    std::vector<std::array<bool, 256>> m_sets;  // a byte table per set: one load per byte scanned
    std::vector<std::string> m_names;
    std::size_t m_barrier = 0;  // a jump lands here: do not merge a literal into the one before
};

// Python's \s on ASCII: space, \t\n\v\f\r, \x1c-\x1f.
inline bool is_loghub_space(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == ' ' || (u >= '\t' && u <= '\r') || (u >= 0x1c && u <= 0x1f);
}

}  // namespace logad::parse
