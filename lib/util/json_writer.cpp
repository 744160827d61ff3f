#include <logad/util/json_writer.hpp>

#include <logad/util/civil_time.hpp>
#include <logad/util/json_plain_run.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace logad::util {
namespace {



}  // namespace

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

char* write_json_string(char* dest, std::string_view text) noexcept {
    static constexpr char k_hex[] = "0123456789abcdef";
    *dest++ = '"';
    const char* p = text.data();
    const std::size_t n = text.size();
    for (std::size_t i = 0;;) {
        const std::size_t run = json_plain_run(p + i, n - i);
        std::memcpy(dest, p + i, run);
        dest += run;
        i += run;
        if (i >= n) break;
        const auto c = static_cast<unsigned char>(p[i]);
        if (c >= 0x80) {
            const std::size_t len = utf8_sequence_length(text, i);
            if (len == 0) {
                std::memcpy(dest, "\xEF\xBF\xBD", 3);  // U+FFFD for each invalid byte
                dest += 3;
                i += 1;
            } else {
                std::memcpy(dest, p + i, len);
                dest += len;
                i += len;
            }
            continue;
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
