#pragma once
// Tokenising and variable masking, the step before template mining.
//
// A message is split on whitespace into tokens. In each token the variable parts are replaced
// by `<*>` and reported as parameters with their kind, so `uid=0` becomes `uid=<*>` with the
// parameter "0" (number) and `src: /10.0.0.1:50010` becomes `src: /<*>` (ip). Punctuation around
// a variable is kept, as the Loghub ground truth does. What counts as a variable:
//   - user masks (--mask NAME=RE2) first, anywhere in the message, kind `user`;
//   - whole tokens: URLs, e-mail addresses, IPv4/IPv6 (with port), UUIDs, absolute paths, hex
//     (0x..), times and dates, numbers, durations and sizes (`12ms`, `3.5GB`, or a number before
//     a unit token as in `3.5 GB`);
//   - key=value: the value, when it holds a digit;
//   - otherwise every run between delimiters (`:=,;()[]{}<>|#"'`) that holds a digit, such as
//     `blk_-123`, `core.1234`, `appattempt_1445_0001` (kind id, or number/hex).
//   - a quoted run of plain words (no digit, none of `/@\=:.`) is one value: `"red shoes"`
//     -> `"<*>"`; a single quoted word stays a word;
//   - a stack frame keeps its symbol: `do_page_fault+0x1a/0x50` -> `do_page_fault+<*>/<*>`;
//   - a size or duration followed by the same amount in other units in brackets is one value:
//     `123 bytes (1.2 KB)` and `123 bytes` both give `<*>` (other brackets stay text).
// No fragments: a `<` or `>` touching a value is part of it (`<1 sec`, `[<c0123abc>]` ->
// `[<*>]`) and two values touching in one token are one, so `<<*>` and `<*><*>` never appear.
// Consecutive tokens that are entirely variable are folded into one `<*>` token (their
// parameters are all kept), so a variable spread over a varying number of tokens (a date and
// a time, a list of numbers) gives one masked form.
// Scanners are hand-written (no regex per token) and reuse the caller's buffers.
#include <logad/record.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logad::mine {

struct UserMask {
    std::string name;     // for messages; its parameters have the kind `user`
    std::string pattern;  // RE2
};

struct MaskedToken {
    std::uint32_t text_begin = 0;  // masked text, in MaskedMessage::text
    std::uint32_t text_size = 0;
    std::uint32_t orig_begin = 0;  // original text, in the message
    std::uint32_t orig_size = 0;
    std::uint32_t first_param = 0;  // its parameters, in MaskedMessage::params
    std::uint32_t param_count = 0;
    bool wild = false;  // the whole token is one `<*>`
};

struct MaskedParam {
    std::uint32_t begin = 0;  // in the message
    std::uint32_t size = 0;
    ParamKind kind = ParamKind::word;
};

struct MaskedMessage {
    std::string text;  // the masked tokens back to back
    std::vector<MaskedToken> tokens;
    std::vector<MaskedParam> params;
    // Where mask() writes the text before `text` takes it: it only grows, so it is zero-filled
    // once per size reached, not for every message as sizing `text` to the worst case was.
    std::string scratch;

    std::string_view token(std::size_t i) const noexcept {
        return {text.data() + tokens[i].text_begin, tokens[i].text_size};
    }
    void clear() noexcept {
        text.clear();
        tokens.clear();
        params.clear();
    }
};

inline constexpr std::string_view k_wildcard = "<*>";

class Masker {
public:
    explicit Masker(const std::vector<UserMask>& user_masks);  // throws UsageError for a bad RE2
    ~Masker();
    Masker(Masker&&) noexcept;
    Masker& operator=(Masker&&) noexcept;

    // Fills `out` (cleared first) from `message`; `out` keeps offsets into `message`.
    void mask(std::string_view message, MaskedMessage& out) const;

private:
    struct UserSet;
    std::unique_ptr<UserSet> m_user;  // null without user masks
};

// The kind of a whole token if it is a variable on its own (no surrounding punctuation), or
// false. Exposed for tests.
bool classify_token(std::string_view token, ParamKind& kind) noexcept;

}  // namespace logad::mine
