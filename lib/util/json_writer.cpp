#include <logad/util/json_writer.hpp>

#include <logad/util/civil_time.hpp>
#include <logad/util/json_plain_run.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace logad::util {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    const std::size_t left = s.size() - i;
    auto cont = [&](std::size_t k) { return (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return left >= 2 && cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (left < 3 || !cont(1) || !cont(2)) return 0;
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
        return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
        return 4;
    }
    return 0;
}

bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

namespace {

// Writes the escape (or the UTF-8 sequence, or U+FFFD) for the byte at text[i], which is not
// plain; returns the end of what was written and moves i past what it read.
char* write_json_special(char* dest, std::string_view text, std::size_t& i) noexcept {
    static constexpr char k_hex[] = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            std::memcpy(dest, "\xEF\xBF\xBD", 3);  // U+FFFD for each invalid byte
            i += 1;
            return dest + 3;
        }
        std::memcpy(dest, text.data() + i, len);
        i += len;
        return dest + len;
    }
    *dest++ = '\\';
    switch (c) {
        case '"': *dest++ = '"'; break;
        case '\\': *dest++ = '\\'; break;
        case '\n': *dest++ = 'n'; break;
        case '\r': *dest++ = 'r'; break;
        case '\t': *dest++ = 't'; break;
        default:
            std::memcpy(dest, "u00", 3);
            dest[3] = k_hex[c >> 4];
            dest[4] = k_hex[c & 0xF];
            dest += 5;
    }
    i += 1;
    return dest;
}

// The high bit of each byte of w that needs attention (not '"', '\\', below 0x20 or from 0x80),
// exact up to the first such byte, which is all "is there one" needs: json_plain_run's test.
template <class Word>
constexpr Word special_lanes(Word w) noexcept {
    constexpr Word ones = static_cast<Word>(~Word(0)) / 255, high = ones * 0x80;
    const Word quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    return (w | ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash)) & high;
}

#ifdef __SSE2__
// 0xFF in each byte of x that needs attention: a signed compare below 0x20 also catches every
// byte from 0x80
inline __m128i json_care16(__m128i x) noexcept {
    return _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
}
#endif

// Copies text[i, n) (between one and two words long) to dest as two overlapping words when
// nothing in it needs escaping; false (nothing written) otherwise.
template <class Word>
[[gnu::always_inline]] inline bool copy_plain_tail(char*& dest, const char* text, std::size_t i, std::size_t n) noexcept {
    Word a, b;
    std::memcpy(&a, text + i, sizeof a);
    std::memcpy(&b, text + n - sizeof b, sizeof b);
    if ((special_lanes(a) | special_lanes(b)) != 0) return false;
    std::memcpy(dest, &a, sizeof a);
    std::memcpy(dest + (n - i) - sizeof b, &b, sizeof b);
    dest += n - i;
    return true;
}

}  // namespace

namespace {

// write_json_string from text[i] on, where something may need escaping, to the closing quote.
[[gnu::noinline]] char* write_json_rest(char* dest, std::string_view text, std::size_t i) noexcept {
    const char* const p = text.data();
    const std::size_t n = text.size();
    while (i < n) {
        const std::size_t left = n - i;
        // 4 to 16 bytes that need no escape: two overlapping words
        if (left >= 8 && left <= 16 && copy_plain_tail<std::uint64_t>(dest, p, i, n)) break;
        if (left >= 4 && left < 8 && copy_plain_tail<std::uint32_t>(dest, p, i, n)) break;
        // a short tail, or one with something to escape: byte by byte up to it
        while (i < n && !json_run_detail::k_care[static_cast<unsigned char>(p[i])]) {
            *dest++ = p[i++];
#ifdef __SSE2__
            if (n - i >= 16) break;  // after an escape, a long run goes back to blocks
#endif
        }
#ifdef __SSE2__
        if (n - i >= 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(dest), x);
            const auto bits = static_cast<unsigned>(_mm_movemask_epi8(json_care16(x)));
            if (bits == 0) {
                i += 16;
                dest += 16;
                continue;
            }
            const auto plain = static_cast<std::size_t>(__builtin_ctz(bits));
            dest += plain;
            i += plain;
        }
#endif
        if (i < n) dest = write_json_special(dest, text, i);
    }
    *dest++ = '"';
    return dest;
}

}  // namespace

// Scans and copies in one pass, without a call per run: sixteen bytes at a time are stored
// whole (the room, six bytes per byte of text, holds a block wherever one is read) and a tail
// of under sixteen bytes goes as two overlapping words. Most strings of an event (parameters,
// field values, keys) are short, where a memcpy call per run cost more than the escaping. What
// needs no escape is done here without a call (so without saving registers); from the first
// byte that may need one, write_json_rest goes on.
char* write_json_string(char* dest, std::string_view text) noexcept {
    *dest++ = '"';
    const char* const p = text.data();
    const std::size_t n = text.size();
    std::size_t i = 0;
#ifdef __SSE2__
    while (n - i >= 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dest), x);
        if (_mm_movemask_epi8(json_care16(x)) != 0) return write_json_rest(dest, text, i);
        i += 16;
        dest += 16;
        if (n - i < 16 && i != n) {
            // the sixteen bytes that end the string, overlapping those copied: when none needs
            // escaping, the overlap went out as it is and one store ends the string
            const __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
            if (_mm_movemask_epi8(json_care16(last)) != 0) return write_json_rest(dest, text, i);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(dest - (16 - (n - i))), last);
            dest += n - i;
            i = n;
        }
    }
#endif
    const std::size_t left = n - i;
    if (left > 16) return write_json_rest(dest, text, i);  // only without SSE2
    if (left >= 4) {
        const bool done = left >= 8 ? copy_plain_tail<std::uint64_t>(dest, p, i, n)
                                    : copy_plain_tail<std::uint32_t>(dest, p, i, n);
        if (!done) return write_json_rest(dest, text, i);
    } else {
        for (; i < n; ++i) {
            if (json_run_detail::k_care[static_cast<unsigned char>(p[i])]) return write_json_rest(dest, text, i);
            *dest++ = p[i];
        }
    }
    *dest++ = '"';
    return dest;
}

void append_json_string(std::string& out, std::string_view text) {
    const std::size_t old = out.size();
    out.resize(old + json_string_bound(text.size()));
    char* end = write_json_string(out.data() + old, text);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

JsonObject& JsonObject::integer(std::int64_t value) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    m_out.append(buf, res.ptr);
    return *this;
}

JsonObject& JsonObject::time_ms(std::int64_t unix_ms) {
    m_out.push_back('"');
    append_rfc3339_ms(m_out, unix_ms);
    m_out.push_back('"');
    return *this;
}

JsonObject& JsonObject::strings(const std::vector<std::string>& values) {
    m_out.push_back('[');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) m_out.push_back(',');
        append_json_string(m_out, values[i]);
    }
    m_out.push_back(']');
    return *this;
}

}  // namespace logad::util
