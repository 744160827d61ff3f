#include "json_members.hpp"

#include <logad/util/json_plain_run.hpp>
#include <logad/util/json_writer.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstring>

namespace logad::parse {
namespace {

constexpr bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_digit_char(char c) noexcept { return c >= '0' && c <= '9'; }


int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool read_hex4(std::string_view s, std::size_t at, std::uint32_t& out) noexcept {
    if (at + 4 > s.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const int h = hex_value(s[at + k]);
        if (h < 0) return false;
        out = out << 4 | static_cast<std::uint32_t>(h);
    }
    return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | cp >> 6);
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | cp >> 12);
        out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | cp >> 18);
        out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
        out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Reads one scanner's worth of the line; every method returns false where the fast path ends.
class ShallowScanner {
public:
    ShallowScanner(std::string_view line, std::string& scratch, std::string& nested)
        : m_s(line), m_scratch(scratch), m_nested(nested) {}

    bool object(std::vector<JsonMember>& members) {
        m_i = 1;  // past '{'
        space();
        if (peek() == '}') {
            ++m_i;
            return end();
        }
        for (;;) {
            JsonMember& m = members.emplace_back();
            std::string_view raw;
            bool escaped = false;
            if (peek() != '"' || !string(m.key, raw, escaped)) return false;
            const std::string_view key = m.key;
            for (std::size_t k = 0; k + 1 < members.size(); ++k) {
                const std::string_view other = members[k].key;  // first byte first: memcmp is a call
                if (other.size() == key.size() && (key.empty() || (other[0] == key[0] && other == key)))
                    return false;  // the DOM keeps the last value in the first place
            }
            space();
            if (peek() != ':') return false;
            ++m_i;
            space();
            if (!value(m)) return false;
            space();
            const char c = peek();
            ++m_i;
            if (c == '}') return end();
            if (c != ',') return false;
            space();
        }
    }

private:
    char peek() const noexcept { return m_i < m_s.size() ? m_s[m_i] : '\0'; }
    void space() noexcept {
        while (m_i < m_s.size() && is_json_space(m_s[m_i])) ++m_i;
    }
    bool end() noexcept {
        space();
        return m_i == m_s.size();
    }

    // A string at m_i (the opening quote): `out` gets its unescaped text, `raw` what stands
    // between the quotes.
    bool string(std::string_view& out, std::string_view& raw, bool& escaped) {
        const std::size_t begin = ++m_i;
        std::size_t decoded_from = std::string::npos;  // in m_scratch, once an escape was seen
        for (;;) {
            m_i += util::json_plain_run(m_s.data() + m_i, m_s.size() - m_i);
            if (m_i >= m_s.size()) return false;
            const auto c = static_cast<unsigned char>(m_s[m_i]);
            if (c == '"') break;
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t n = util::utf8_sequence_length(m_s, m_i);
                if (n == 0) return false;
                m_i += n;
                continue;
            }
            // a backslash: from here on the text is built in m_scratch
            if (decoded_from == std::string::npos) {
                decoded_from = m_scratch.size();
                m_scratch.append(m_s.substr(begin, m_i - begin));
            }
            if (!escape()) return false;
        }
        raw = m_s.substr(begin, m_i - begin);
        ++m_i;
        escaped = decoded_from != std::string::npos;
        if (!escaped) {
            out = raw;
            return true;
        }
        out = std::string_view(m_scratch).substr(decoded_from);
        return true;
    }

    // Decodes the escape at m_i (a backslash) into m_scratch. Text between escapes is copied
    // here too: the caller's run loop stops at each backslash, so copy from the last stop.
    bool escape() {
        const std::size_t at = m_i + 1;
        if (at >= m_s.size()) return false;
        char d = 0;
        switch (m_s[at]) {
            case '"': d = '"'; break;
            case '\\': d = '\\'; break;
            case '/': d = '/'; break;
            case 'b': d = '\b'; break;
            case 'f': d = '\f'; break;
            case 'n': d = '\n'; break;
            case 'r': d = '\r'; break;
            case 't': d = '\t'; break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!read_hex4(m_s, at + 1, cp)) return false;
                std::size_t next = at + 5;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    std::uint32_t low = 0;
                    if (next + 1 >= m_s.size() || m_s[next] != '\\' || m_s[next + 1] != 'u' ||
                        !read_hex4(m_s, next + 2, low) || low < 0xDC00 || low > 0xDFFF)
                        return false;  // a lone surrogate: the DOM parser decides
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    next += 6;
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return false;
                }
                append_utf8(m_scratch, cp);
                m_i = next;
                copy_run();
                return true;
            }
            default: return false;
        }
        m_scratch += d;
        m_i = at + 1;
        copy_run();
        return true;
    }

    // Copies the plain bytes (and valid UTF-8) after an escape, up to the next quote or escape.
    void copy_run() {
        const std::size_t from = m_i;
        for (;;) {
            m_i += util::json_plain_run(m_s.data() + m_i, m_s.size() - m_i);
            if (m_i >= m_s.size() || static_cast<unsigned char>(m_s[m_i]) < 0x80) break;
            const std::size_t n = util::utf8_sequence_length(m_s, m_i);
            if (n == 0) break;  // the caller's loop rejects it
            m_i += n;
        }
        m_scratch.append(m_s.substr(from, m_i - from));
    }

    bool value(JsonMember& m) {
        const char c = peek();
        if (c == '{' || c == '[') return composite(m);
        if (c == '"') {
            std::string_view raw;
            bool escaped = false;
            const std::size_t quote = m_i;
            if (!string(m.value, raw, escaped)) return false;
            m.kind = JsonKind::string;
            if (!escaped) {
                m.json = m_s.substr(quote, raw.size() + 2);  // valid UTF-8, nothing to escape
            } else {
                const std::size_t from = m_scratch.size();
                append_json_like_dump(m_scratch, m.value);
                m.json = std::string_view(m_scratch).substr(from);
            }
            return true;
        }
        if (c == '-' || is_digit_char(c)) return number(m);
        if (const std::string_view word = literal(); !word.empty()) {
            m.kind = JsonKind::literal;
            m.value = m.json = word;
            return true;
        }
        return false;  // not JSON
    }

    // true, false or null at m_i (read past), else "".
    std::string_view literal() noexcept {
        for (std::string_view word : {"true", "false", "null"}) {
            if (m_s.substr(m_i, word.size()) == word) {
                m_i += word.size();
                return word;
            }
        }
        return {};
    }

    // A nested object or array, kept as its JSON text the way dump() writes it: compact, members
    // in their order, strings escaped as dump() escapes them, numbers as dump() prints them. The
    // text is built in m_nested (strings decoded on the way go to m_scratch's end and are
    // dropped), then appended to m_scratch whole, so the member's view is one piece.
    bool composite(JsonMember& m) {
        m_nested.clear();
        if (!nested(1)) return false;
        const std::size_t from = m_scratch.size();
        m_scratch.append(m_nested);
        m.kind = JsonKind::composite;
        m.value = m.json = std::string_view(m_scratch).substr(from);
        return true;
    }

    // The object or array at m_i, `depth` levels deep counting the member's own value as 1.
    bool nested(int depth) {
        if (depth > k_max_scan_depth) return false;  // the DOM decides, and refuses what is too deep
        const char open = m_s[m_i++];
        const char close = open == '{' ? '}' : ']';
        m_nested += open;
        space();
        if (peek() == close) {
            ++m_i;
            m_nested += close;
            return true;
        }
        // keys of this object, to decline a repeated one as the top level does
        constexpr std::size_t k_max_keys = 32;
        std::string_view keys[k_max_keys];
        std::size_t key_count = 0;
        for (;;) {
            if (open == '{') {
                std::string_view key, raw;
                bool escaped = false;
                if (peek() != '"' || key_count == k_max_keys || !string(key, raw, escaped) || escaped)
                    return false;  // an escaped key inside: rare, the DOM reads it
                for (std::size_t k = 0; k < key_count; ++k)
                    if (keys[k] == key) return false;
                keys[key_count++] = key;
                m_nested += '"';
                m_nested.append(key);  // valid UTF-8 without escapes: dump() writes it as it is
                m_nested += "\":";
                space();
                if (peek() != ':') return false;
                ++m_i;
                space();
            }
            if (!nested_value(depth)) return false;
            space();
            const char c = peek();
            ++m_i;
            if (c == close) {
                m_nested += close;
                return true;
            }
            if (c != ',') return false;
            m_nested += ',';
            space();
        }
    }

    bool nested_value(int depth) {
        const char c = peek();
        if (c == '{' || c == '[') return nested(depth + 1);
        const std::size_t mark = m_scratch.size();
        if (c == '"') {
            std::string_view text, raw;
            bool escaped = false;
            if (!string(text, raw, escaped)) return false;
            if (escaped) {
                append_json_like_dump(m_nested, text);
                m_scratch.resize(mark);
            } else {
                m_nested += '"';
                m_nested.append(raw);
                m_nested += '"';
            }
            return true;
        }
        if (c == '-' || is_digit_char(c)) {
            JsonMember n;
            if (!number(n)) return false;
            if (n.kind == JsonKind::floating) {
                char buf[k_double_room];
                m_nested.append(buf, write_double_like_dump(buf, n.floating));
            } else {
                m_nested.append(n.json);
            }
            m_scratch.resize(mark);
            return true;
        }
        const std::string_view word = literal();
        m_nested.append(word);
        return !word.empty();
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, typed as nlohmann's lexer does: unsigned
    // without a sign, integer with one, floating with a fraction or exponent.
    bool number(JsonMember& m) {
        const std::size_t begin = m_i;
        std::size_t i = m_i;
        if (m_s[i] == '-') ++i;
        if (i >= m_s.size() || !is_digit_char(m_s[i])) return false;
        if (m_s[i] == '0') ++i;
        else
            while (i < m_s.size() && is_digit_char(m_s[i])) ++i;
        bool floating = false;
        if (i < m_s.size() && m_s[i] == '.') {
            floating = true;
            const std::size_t digits = ++i;
            while (i < m_s.size() && is_digit_char(m_s[i])) ++i;
            if (i == digits) return false;
        }
        if (i < m_s.size() && (m_s[i] == 'e' || m_s[i] == 'E')) {
            floating = true;
            ++i;
            if (i < m_s.size() && (m_s[i] == '+' || m_s[i] == '-')) ++i;
            const std::size_t digits = i;
            while (i < m_s.size() && is_digit_char(m_s[i])) ++i;
            if (i == digits) return false;
        }
        const char* first = m_s.data() + begin;
        const char* last = m_s.data() + i;
        m_i = i;
        const std::size_t from = m_scratch.size();
        if (floating) {
            const auto [ptr, ec] = std::from_chars(first, last, m.floating);
            if (ec != std::errc() || ptr != last || !std::isfinite(m.floating)) return false;
            m.kind = JsonKind::floating;
            return true;  // its text is written when asked for (write_double_like_dump)
        } else if (*first == '-') {
            const auto [ptr, ec] = std::from_chars(first, last, m.integer);
            if (ec != std::errc() || ptr != last) return false;  // below INT64_MIN: the DOM makes it a double
            m.kind = JsonKind::integer;
            char buf[24];
            m_scratch.append(buf, std::to_chars(buf, buf + sizeof buf, m.integer).ptr);  // `-0` is 0
        } else {
            std::uint64_t u = 0;
            const auto [ptr, ec] = std::from_chars(first, last, u);
            if (ec != std::errc() || ptr != last) return false;
            m.kind = JsonKind::unsigned_integer;
            m.integer = static_cast<std::int64_t>(u);
            m_scratch.append(first, last);
        }
        m.value = m.json = std::string_view(m_scratch).substr(from);
        return true;
    }

    std::string_view m_s;
    std::string& m_scratch;
    std::string& m_nested;
    std::size_t m_i = 0;
};

}  // namespace

bool scan_shallow_object(std::string_view line, std::vector<JsonMember>& members, std::string& scratch,
                         std::string& nested) {
    members.clear();
    scratch.clear();
    // Views into scratch must not move: reserve what the line can need (unescaped text is no
    // longer than the line, its escaped form at most 6x that, a number at most 32 bytes per 2
    // bytes of line).
    const std::size_t bound = 24 * line.size() + 64;
    if (scratch.capacity() < bound) scratch.reserve(bound);
    const char* const before = scratch.data();
    ShallowScanner scanner(line, scratch, nested);
    const bool ok = scanner.object(members);
    return ok && scratch.data() == before;
}

void append_json_like_dump(std::string& out, std::string_view text) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t run = util::json_plain_run(text.data() + i, text.size() - i);
        out.append(text.substr(i, run));
        i += run;
        if (i >= text.size()) break;
        const auto c = static_cast<unsigned char>(text[i++]);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += k_hex[c >> 4];
                    out += k_hex[c & 0xF];
                } else {
                    out += static_cast<char>(c);  // UTF-8, kept as it is
                }
        }
    }
    out += '"';
}

char* write_double_like_dump(char* dest, double value) noexcept {
    if (!std::isfinite(value)) {
        std::memcpy(dest, "null", 4);
        return dest + 4;
    }
    // nlohmann's own Grisu2 writer (3.11 ships it in a header), so the text is dump()'s exactly
    return nlohmann::detail::to_chars(dest, dest + k_double_room, value);
}

void append_double_like_dump(std::string& out, double value) {
    char buf[k_double_room];
    out.append(buf, write_double_like_dump(buf, value));
}

}  // namespace logad::parse
