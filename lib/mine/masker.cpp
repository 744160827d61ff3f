#include <logad/error.hpp>
#include <logad/mine/masker.hpp>
#include <logad/util/units.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace logad::mine {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr std::array<bool, 256> make_spaces() {
    std::array<bool, 256> d{};
    for (char c : std::string_view(" \t\r\n\v\f")) d[static_cast<unsigned char>(c)] = true;
    return d;
}
constexpr std::array<bool, 256> k_space = make_spaces();
constexpr bool is_space(char c) noexcept { return k_space[static_cast<unsigned char>(c)]; }

// Characters that separate the variable parts of a token (`uid=0`, `(0x0)`, `a:12,b:3`).
constexpr std::array<bool, 256> make_delims() {
    std::array<bool, 256> d{};
    for (char c : std::string_view(":=,;()[]{}<>|#\"'")) d[static_cast<unsigned char>(c)] = true;
    return d;
}
constexpr std::array<bool, 256> k_delim = make_delims();
constexpr bool is_delim(char c) noexcept { return k_delim[static_cast<unsigned char>(c)]; }

// A token without any of these is plain text (the fast path).
constexpr std::array<bool, 256> make_special() {
    std::array<bool, 256> d{};
    for (char c : std::string_view("0123456789/@\\=:.")) d[static_cast<unsigned char>(c)] = true;
    return d;
}
constexpr std::array<bool, 256> k_special = make_special();

// The shape of a token, learnt in one pass so that only the scanners that can match run:
// per-class counts, six bits each in a 64-bit word, so that counting a character is one table
// load and one add in a register. The lanes count seven classes (the bytes in none of them are
// the "other" class, counted as what is left), and `=`, `+` and the delimiters (which are also
// in a class).
enum CharClass : std::uint8_t { c_digit, c_letter, c_dot, c_colon, c_dash, c_slash, c_at, c_eq, c_plus, c_delim };
constexpr int k_lane_bits = 6;
constexpr std::uint32_t k_lane_max = (1u << k_lane_bits) - 1;  // a lane holds up to 63
constexpr int k_lanes = c_delim + 1;
constexpr int k_classes = c_at + 1;  // the lanes that classes have, before `=`
constexpr std::uint64_t lane_one(int lane) { return std::uint64_t(1) << (k_lane_bits * lane); }
constexpr std::array<std::uint64_t, 256> make_class_incs() {
    std::array<std::uint64_t, 256> d{};
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        std::uint64_t inc = 0;  // other
        if (ch >= '0' && ch <= '9') inc = lane_one(c_digit);
        else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) inc = lane_one(c_letter);
        else if (ch == '.') inc = lane_one(c_dot);
        else if (ch == ':') inc = lane_one(c_colon);
        else if (ch == '-') inc = lane_one(c_dash);
        else if (ch == '/' || ch == '\\') inc = lane_one(c_slash);
        else if (ch == '@') inc = lane_one(c_at);
        d[c] = inc | (ch == '=' ? lane_one(c_eq) : 0) | (ch == '+' ? lane_one(c_plus) : 0) |
               (k_delim[c] ? lane_one(c_delim) : 0);
    }
    return d;
}
constexpr std::array<std::uint64_t, 256> k_class_inc = make_class_incs();

struct TokenShape {
    std::uint64_t lanes = 0;  // the counts, saturated at 63 in a token of 64 bytes or more
    std::uint32_t size = 0;
    std::uint32_t long_other = 0;  // other(), saturated, in a token of 64 bytes or more
    explicit TokenShape(std::string_view s) noexcept : size(static_cast<std::uint32_t>(std::min<std::size_t>(s.size(), 0xFFFFFFFFu))) {
        if (s.size() <= k_lane_max) {  // the usual token: no lane can overflow
#pragma GCC unroll 4
            for (char c : s) lanes += k_class_inc[static_cast<unsigned char>(c)];
            return;
        }
        std::uint32_t n[k_lanes] = {};
        for (std::size_t i = 0; i < s.size();) {
            const std::size_t end = std::min<std::size_t>(s.size(), i + k_lane_max);  // no lane can carry over
            std::uint64_t packed = 0;
            std::uint32_t in_class = 0;
            const auto chunk = static_cast<std::uint32_t>(end - i);
            for (; i < end; ++i) packed += k_class_inc[static_cast<unsigned char>(s[i])];
            for (int k = 0; k < k_lanes; ++k) {
                const auto count = static_cast<std::uint32_t>((packed >> (k_lane_bits * k)) & k_lane_max);
                if (k < k_classes) in_class += count;
                n[k] = std::min(k_lane_max, n[k] + count);
            }
            long_other = std::min(k_lane_max, long_other + chunk - in_class);
        }
        for (int k = 0; k < k_lanes; ++k) lanes |= std::uint64_t(n[k]) << (k_lane_bits * k);
    }
    // The tests on counts ask for 0, 1, 2, 3, 4, 5, 7 or "some", which saturation does not change.
    std::uint32_t lane(CharClass c) const noexcept {
        return static_cast<std::uint32_t>((lanes >> (k_lane_bits * c)) & k_lane_max);
    }
    std::uint32_t digits() const noexcept { return lane(c_digit); }
    std::uint32_t letters() const noexcept { return lane(c_letter); }
    std::uint32_t dots() const noexcept { return lane(c_dot); }
    std::uint32_t colons() const noexcept { return lane(c_colon); }
    std::uint32_t dashes() const noexcept { return lane(c_dash); }
    std::uint32_t slashes() const noexcept { return lane(c_slash); }  // `/` and `\`
    std::uint32_t ats() const noexcept { return lane(c_at); }
    std::uint32_t other() const noexcept {
        if (size > k_lane_max) return long_other;
        std::uint32_t in_class = 0;
        for (int k = 0; k < k_classes; ++k) in_class += lane(static_cast<CharClass>(k));
        return size - in_class;
    }
    bool has(CharClass c) const noexcept { return lane(c) != 0; }
    // holds one of k_special
    bool special() const noexcept {
        constexpr std::uint64_t k_special_lanes = std::uint64_t(k_lane_max) * (lane_one(c_digit) | lane_one(c_dot) |
                                                  lane_one(c_colon) | lane_one(c_slash) | lane_one(c_at) | lane_one(c_eq));
        return (lanes & k_special_lanes) != 0;
    }
    // [+-]?\d+(\.\d+)* can match: digits, dots and a leading sign only (exact up to 63 bytes)
    bool may_be_number(std::string_view s) const noexcept {
        if (s.size() > k_lane_max) return true;
        const std::size_t sign = s[0] == '-' || s[0] == '+';
        return digits() > 0 && digits() + dots() + sign == s.size();
    }
    // s is [+-]?\d+(\.\d+)*: without dots the counts say so, with dots is_number checks where
    // they are
    bool number(std::string_view s) const noexcept;
};

// Slices without substr's range check (and its out-of-line call): pos <= s.size() is the caller's.
constexpr std::string_view tail(std::string_view s, std::size_t pos) noexcept { return {s.data() + pos, s.size() - pos}; }
constexpr std::string_view head(std::string_view s, std::size_t n) noexcept { return {s.data(), std::min(n, s.size())}; }
constexpr std::string_view slice(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    return {s.data() + pos, std::min(n, s.size() - pos)};
}

constexpr std::uint8_t k_scan_space = 1, k_scan_special = 2;
constexpr std::array<std::uint8_t, 256> make_scan() {
    std::array<std::uint8_t, 256> d{};
    for (int c = 0; c < 256; ++c) d[c] = (k_space[c] ? k_scan_space : 0) | (k_special[c] ? k_scan_special : 0);
    return d;
}
constexpr std::array<std::uint8_t, 256> k_scan = make_scan();

// Punctuation a token's value is stripped of, as byte tables: the chains of compares they
// replace ran for every special token.
constexpr std::array<bool, 256> make_table(std::string_view chars) {
    std::array<bool, 256> d{};
    for (char c : chars) d[static_cast<unsigned char>(c)] = true;
    return d;
}
constexpr std::array<bool, 256> k_lead_punct = make_table("([{<\"'");
constexpr std::array<bool, 256> k_trail_punct = make_table(")]}>\"',;.:");
constexpr bool is_lead_punct(char c) noexcept { return k_lead_punct[static_cast<unsigned char>(c)]; }
constexpr bool is_trail_punct(char c) noexcept { return k_trail_punct[static_cast<unsigned char>(c)]; }

bool has_digit(std::string_view s) noexcept {
    for (char c : s)
        if (is_digit(c)) return true;
    return false;
}

// Reads 1+ digits from s at i; returns how many.
std::size_t digits_at(std::string_view s, std::size_t i) noexcept {
    std::size_t n = 0;
    while (i + n < s.size() && is_digit(s[i + n])) ++n;
    return n;
}

// The end of the run of digits at p (p itself when there is none).
inline const char* skip_digits(const char* p, const char* end) noexcept {
    while (p < end && is_digit(*p)) ++p;
    return p;
}

// [+-]?\d+(\.\d+)*  (versions like 1.2.3 count as numbers); `size` gets how much was read.
bool number_prefix(std::string_view s, std::size_t& size) noexcept {
    const char* p = s.data();
    const char* const end = p + s.size();
    if (p < end && (*p == '-' || *p == '+')) ++p;
    const char* q = skip_digits(p, end);
    if (q == p) return false;
    while (end - q >= 2 && *q == '.' && is_digit(q[1])) q = skip_digits(q + 2, end);
    size = static_cast<std::size_t>(q - s.data());
    return true;
}

bool is_number(std::string_view s) noexcept {
    std::size_t n = 0;
    return number_prefix(s, n) && n == s.size();
}

bool TokenShape::number(std::string_view s) const noexcept {
    if (!may_be_number(s)) return false;
    return (s.size() <= k_lane_max && dots() == 0) || is_number(s);
}

bool is_port(std::string_view s) noexcept {
    return !s.empty() && s.size() <= 5 && skip_digits(s.data(), s.data() + s.size()) == s.data() + s.size();
}

// One to three digits at p, not followed by a fourth; returns past them, or null.
inline const char* ipv4_part(const char* p, const char* end) noexcept {
    if (p == end || !is_digit(*p)) return nullptr;
    ++p;
    if (p == end || !is_digit(*p)) return p;
    ++p;
    if (p == end || !is_digit(*p)) return p;
    ++p;
    return p != end && is_digit(*p) ? nullptr : p;
}

bool is_ipv4(std::string_view s) noexcept {
    const char* const end = s.data() + s.size();
    const char* p = ipv4_part(s.data(), end);
    for (int part = 1; part < 4 && p; ++part) p = p != end && *p == '.' ? ipv4_part(p + 1, end) : nullptr;
    if (!p) return false;
    if (p == end) return true;
    return *p == ':' && is_port({p + 1, static_cast<std::size_t>(end - p - 1)});
}

bool is_ipv6(std::string_view s) noexcept {
    if (!s.empty() && s.front() == '[') {  // [addr]:port
        const auto close = s.find(']');
        if (close == std::string_view::npos) return false;
        const std::string_view rest = s.substr(close + 1);
        if (!rest.empty() && !(rest[0] == ':' && is_port(rest.substr(1)))) return false;
        s = s.substr(1, close - 1);
    }
    if (s.size() < 3) return false;
    int colons = 0;
    bool double_colon = false, letter = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':') {
            ++colons;
            if (i > 0 && s[i - 1] == ':') double_colon = true;
        } else if (c == '.') {
            // an embedded IPv4 tail (::ffff:10.0.0.1)
            const auto last = s.rfind(':');
            return colons >= 2 && last != std::string_view::npos && is_ipv4(s.substr(last + 1));
        } else if (!is_hex(c)) {
            return false;
        } else if (!is_digit(c)) {
            letter = true;
        }
    }
    return colons >= 2 && (double_colon || (letter && colons >= 5) || colons == 7);
}

bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

bool is_hex_number(std::string_view s) noexcept {
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return std::all_of(s.begin() + 2, s.end(), is_hex);
    // bare hex (hashes, addresses): long enough, digits and letters a-f only
    if (s.size() < 8) return false;
    bool letter = false;
    for (char c : s) {
        if (!is_hex(c)) return false;
        if (!is_digit(c)) letter = true;
    }
    return letter;
}

// hh:mm(:ss([.,]frac)?)?, yyyy-mm-dd, yyyy/mm/dd, and yyyy-mm-ddThh:mm:ss(.frac)?(Z|+hh:mm)?
bool is_time(std::string_view s) noexcept {
    std::size_t i = 0;
    const auto two = [&](std::size_t at) { return at + 2 <= s.size() && is_digit(s[at]) && is_digit(s[at + 1]); };
    bool date = false;
    if (digits_at(s, 0) == 4 && s.size() >= 10 && (s[4] == '-' || s[4] == '/') && two(5) && s[7] == s[4] && two(8)) {
        date = true;
        i = 10;
        if (i == s.size()) return true;
        if (s[i] != 'T' && s[i] != '_' && s[i] != '-') return false;
        ++i;
    }
    const std::size_t h = digits_at(s, i);
    if (h < 1 || h > 2 || i + h >= s.size() || s[i + h] != ':' || !two(i + h + 1)) return false;
    i += h + 3;
    if (i < s.size() && s[i] == ':') {
        if (!two(i + 1)) return false;
        i += 3;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            const std::size_t f = digits_at(s, i + 1);
            if (f == 0) return false;
            i += 1 + f;
        }
    }
    if (date && i < s.size()) {
        if (s[i] == 'Z') ++i;
        else if ((s[i] == '+' || s[i] == '-') && two(i + 1)) {
            i += 3;
            if (i < s.size() && s[i] == ':') ++i;
            if (two(i)) i += 2;
        }
    }
    return i == s.size();
}

// The shared unit table (util/units.hpp) decides, so the featurizers read the value the way it
// was classified here.
bool classify_unit(std::string_view unit, ParamKind& kind) noexcept {
    const auto scale = util::unit_scale(unit);
    if (!scale) return false;
    kind = scale->kind == util::UnitKind::duration ? ParamKind::duration : ParamKind::size;
    return true;
}

bool is_email(std::string_view s) noexcept {
    const auto at = s.find('@');
    if (at == 0 || at == std::string_view::npos) return false;
    const std::string_view domain = s.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == 0 || dot == std::string_view::npos || dot + 1 >= domain.size()) return false;
    for (char c : s.substr(0, at))
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '%')) return false;
    for (char c : domain)
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-')) return false;
    return true;
}

bool is_url(std::string_view s) noexcept {
    const auto p = s.find("://");
    if (p == std::string_view::npos || p == 0 || p + 3 >= s.size()) return false;
    for (char c : s.substr(0, p))
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.')) return false;
    return true;
}

bool is_path(std::string_view s) noexcept {
    if (s.size() >= 3 && is_alpha(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')) return true;  // C:\x
    if (s.size() < 2) return false;
    if (s[0] == '/') return s[1] != '/';
    if ((s[0] == '~' || s[0] == '.') && s[1] == '/') return true;
    return s.size() > 2 && s[0] == '.' && s[1] == '.' && s[2] == '/';
}

// host.domain.tld or host.domain:port (a port makes any dotted name a host). `shape` is s's.
bool is_host(std::string_view s, const TokenShape& shape) noexcept {
    if (shape.colons() == 0) {
        // no port: the tests at the end, first and without the scan (a Java class fails here)
        if (shape.dots() < 2) return false;
        std::size_t k = 0;  // lower-case letters at the end
        while (k < s.size() && k <= 4 && s[s.size() - 1 - k] >= 'a' && s[s.size() - 1 - k] <= 'z') ++k;
        if (k < 2 || k > 4 || k == s.size() || s[s.size() - 1 - k] != '.') return false;
    }
    std::string_view port;
    if (const auto colon = s.rfind(':'); colon != std::string_view::npos) {
        port = s.substr(colon + 1);
        if (!is_port(port)) return false;
        s = s.substr(0, colon);
    }
    int dots = 0;
    std::size_t label = 0, last_begin = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '.') {
            if (label == 0) return false;
            ++dots;
            label = 0;
            last_begin = i + 1;
        } else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
            ++label;
        } else {
            return false;
        }
    }
    if (label == 0 || dots == 0) return false;
    if (!port.empty()) return true;
    // without a port: at least two dots and a lower-case top-level domain (not a Java class)
    const std::string_view tld = s.substr(last_begin);
    if (dots < 2 || tld.size() < 2 || tld.size() > 4) return false;
    for (char c : tld)
        if (c < 'a' || c > 'z') return false;
    return true;
}

// 2-6 letters then one digit (ssh2, utf8, md5, IPV6, wl0, SOCKS5): a protocol or device name
bool is_word_with_digit(std::string_view s) noexcept {
    if (s.size() < 3 || s.size() > 7 || !is_digit(s.back())) return false;
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
        if (!is_alpha(s[i])) return false;
    return true;
}

// a key=value value without digits that still reads as data: lower-case names and flags
// (user=root, ws=null, enabled=true); values with capitals are usually constants (tty=NODEVssh)
bool is_plain_value(std::string_view v) noexcept {
    for (char c : v)
        if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

// `symbol+0x1a/0x50` or `symbol+0x1a` (kernel and native stack frames): the position of the
// `+`, else npos. The symbol starts with a letter or `_` and holds no digit-only part.
std::size_t frame_offset(std::string_view s) noexcept {
    // most tokens hold no `+`: memchr says so faster than rfind's byte loop from the end
    if (s.empty() || !(is_alpha(s[0]) || s[0] == '_') || s.find('+') == std::string_view::npos)
        return std::string_view::npos;
    const std::size_t plus = s.rfind('+');
    for (char c : s.substr(0, plus))
        if (!(is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '$')) return std::string_view::npos;
    const auto offset = [](std::string_view x) {
        return x.size() > 2 && x[0] == '0' && (x[1] == 'x' || x[1] == 'X') && std::all_of(x.begin() + 2, x.end(), is_hex);
    };
    const std::string_view rest = s.substr(plus + 1);
    const std::size_t slash = rest.find('/');
    if (!offset(rest.substr(0, slash))) return std::string_view::npos;
    return slash == std::string_view::npos || offset(rest.substr(slash + 1)) ? plus : std::string_view::npos;
}

// the first three letters as one number, to compare names cheaply
constexpr std::uint32_t tri(std::string_view s) noexcept {
    return s.size() < 3 ? 0
                        : (static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) << 16) |
                              (static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8) |
                              static_cast<unsigned char>(s[2]);
}

bool is_month(std::string_view s) noexcept {
    switch (tri(s)) {
        case tri("Jan"): case tri("Feb"): case tri("Mar"): case tri("Apr"): case tri("May"): case tri("Jun"):
        case tri("Jul"): case tri("Aug"): case tri("Sep"): case tri("Oct"): case tri("Nov"): case tri("Dec"):
            return true;
        default: return false;
    }
}

bool is_weekday(std::string_view s) noexcept {
    switch (tri(s)) {
        case tri("Mon"): case tri("Tue"): case tri("Wed"): case tri("Thu"): case tri("Fri"): case tri("Sat"):
        case tri("Sun"):
            return true;
        default: return false;
    }
}

// true/false/null (any case) at the start of t, with only punctuation after it; else ""
std::string_view flag_word(std::string_view t) noexcept {
    if (t.size() < 4) return {};
    // the first four bytes lower-cased at once, as `c | 0x20` does byte by byte
    constexpr auto word = [](const char* p) {
        return (static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) |
                static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8 |
                static_cast<std::uint32_t>(static_cast<unsigned char>(p[2])) << 16 |
                static_cast<std::uint32_t>(static_cast<unsigned char>(p[3])) << 24) |
               0x20202020u;
    };
    constexpr std::uint32_t k_true = word("true"), k_null = word("null"), k_fals = word("fals");
    const std::uint32_t w = word(t.data());
    std::size_t len = 0;
    if (w == k_true || w == k_null) len = 4;
    else if (w == k_fals && t.size() >= 5 && static_cast<char>(t[4] | 0x20) == 'e') len = 5;
    else return {};
    for (char r : tail(t, len))
        if (!is_trail_punct(r)) return {};
    return head(t, len);
}

// classify_token with the token's shape known (s is not empty): only the scanners the counts
// allow run.
bool classify_shaped(std::string_view s, const TokenShape& shape, ParamKind& kind) noexcept {
    const std::uint32_t digits = shape.digits(), letters = shape.letters(), dots = shape.dots(),
                        colons = shape.colons(), dashes = shape.dashes(), slashes = shape.slashes(),
                        ats = shape.ats();
    const char c = s[0];
    if (digits > 0 && (is_digit(c) || c == '-' || c == '+')) {
        if (dots == 3 && letters == 0 && is_ipv4(s)) return kind = ParamKind::ip, true;
        if (letters == 0 && colons == 0 && slashes == 0 && is_number(s)) return kind = ParamKind::number, true;
        if ((colons > 0 || dashes > 0 || slashes > 0) && is_time(s)) return kind = ParamKind::time, true;
        std::size_t n = 0;
        if (letters > 0 && number_prefix(s, n) && n < s.size() && classify_unit(tail(s, n), kind)) return true;
    }
    if (is_hex(c) || c == ':' || c == '[') {
        if (s.size() == 36 && dashes == 4 && is_uuid(s)) return kind = ParamKind::uuid, true;
        if (s.size() >= 3 && dots == 0 && colons == 0 && dashes == 0 && shape.other() == 0 &&
            is_hex_number(s))
            return kind = ParamKind::hex, true;
        if (colons >= 2 && is_ipv6(s)) return kind = ParamKind::ip, true;
    }
    if (dots > 0 && slashes == 0 && ats == 0 && is_host(s, shape)) return kind = ParamKind::word, true;
    if (slashes >= 2 && colons > 0 && is_url(s)) return kind = ParamKind::url, true;
    if ((slashes > 0 || c == '~') && is_path(s)) return kind = ParamKind::path, true;
    if (ats == 1 && dots > 0 && is_email(s)) return kind = ParamKind::email, true;
    return false;
}

}  // namespace

bool classify_token(std::string_view s, ParamKind& kind) noexcept {
    if (s.empty()) return false;
    return classify_shaped(s, TokenShape(s), kind);
}

// ---------------------------------------------------------------------------------------------

struct Masker::UserSet {
    std::unique_ptr<RE2> combined;  // (p1)|(p2)|...
    int groups = 0;
};

Masker::Masker(const std::vector<UserMask>& user_masks) {
    if (user_masks.empty()) return;
    RE2::Options opts;
    opts.set_log_errors(false);
    std::string combined;
    for (const UserMask& m : user_masks) {
        RE2 one(m.pattern, opts);  // checked alone so the message names the culprit
        if (!one.ok())
            throw UsageError("--mask " + m.name + ": bad RE2 pattern '" + m.pattern + "': " + one.error() +
                             " (RE2 syntax: https://github.com/google/re2/wiki/Syntax)");
        if (!combined.empty()) combined += '|';
        combined += "(?:" + m.pattern + ")";
    }
    m_user = std::make_unique<UserSet>();
    m_user->combined = std::make_unique<RE2>(combined, opts);
    if (!m_user->combined->ok()) throw UsageError("--mask: the patterns cannot be combined: " + m_user->combined->error());
}

Masker::~Masker() = default;
Masker::Masker(Masker&&) noexcept = default;
Masker& Masker::operator=(Masker&&) noexcept = default;

namespace {

// Copies n bytes without a call for the short pieces a masked token is made of; reads and writes
// only [src, src + n) and [dst, dst + n).
inline void copy_short(char* dst, const char* src, std::size_t n) noexcept {
    if (n >= 8) {
        if (n > 16) return static_cast<void>(std::memcpy(dst, src, n));
        std::uint64_t a, b;
        std::memcpy(&a, src, 8);
        std::memcpy(&b, src + n - 8, 8);
        std::memcpy(dst, &a, 8);
        std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
        std::uint32_t a, b;
        std::memcpy(&a, src, 4);
        std::memcpy(&b, src + n - 4, 4);
        std::memcpy(dst, &a, 4);
        std::memcpy(dst + n - 4, &b, 4);
    } else if (n > 0) {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

// Builds a MaskedMessage token by token. The masked text is written through a pointer into
// `out.scratch`, with room it rarely outgrows (each `<*>` stands for at least one byte of the
// message), then copied to `out.text`: appending to the std::string piece by piece cost more than
// masking.
class Builder {
public:
    Builder(std::string_view message, MaskedMessage& out) : m_msg(message), m_out(out) {
        const std::size_t room = 3 * message.size() + 16;
        if (m_out.scratch.size() < room) m_out.scratch.resize(room);
        m_base = m_out.scratch.data();
        m_w = m_base;
        m_end = m_base + m_out.scratch.size();
    }

    // The text written goes to `out.text` (emptied by mask(): append skips assign's overlap checks).
    void finish() { m_out.text.append(m_base, size()); }

    void begin_token(std::size_t orig_begin) {
        if (!m_out.tokens.empty()) {  // the text is the masked message
            room(1);
            *m_w++ = ' ';
        }
        m_text_begin = static_cast<std::uint32_t>(size());
        m_orig_begin = static_cast<std::uint32_t>(orig_begin);
        m_first_param = static_cast<std::uint32_t>(m_out.params.size());
        m_all_wild = true;
    }

    // The token is written field by field into its slot: copying a whole MaskedToken built in
    // narrower stores stalls on store forwarding, once per token.
    void end_token(std::size_t orig_end) {
        const auto text_size = static_cast<std::uint32_t>(size() - m_text_begin);
        const auto orig_size = static_cast<std::uint32_t>(orig_end - m_orig_begin);
        const auto param_count = static_cast<std::uint32_t>(m_out.params.size() - m_first_param);
        const bool wild = m_all_wild && param_count == 1 && text_size == k_wildcard.size();
        if (wild && !m_out.tokens.empty() && m_out.tokens.back().wild) {
            // fold into the previous all-variable token
            MaskedToken& prev = m_out.tokens.back();
            m_w = m_base + m_text_begin - 1;  // and its space
            prev.orig_size = m_orig_begin + orig_size - prev.orig_begin;
            prev.param_count += param_count;
            return;
        }
        MaskedToken& t = m_out.tokens.emplace_back();
        t.text_begin = m_text_begin;
        t.text_size = text_size;
        t.orig_begin = m_orig_begin;
        t.orig_size = orig_size;
        t.first_param = m_first_param;
        t.param_count = param_count;
        t.wild = wild;
    }

    // No fragments in masked text: a `<` or `>` that touches a variable is part of its value
    // (`<1` in `lifetime <1 sec`, `<c0123abc>` in a kernel frame), and two variables that touch
    // are one (`<*><*>` would be two values nobody can tell apart).
    [[gnu::always_inline]] void literal(std::string_view s) {
        if (s.empty()) return;
        if (s[0] == '>' && touches_last_variable(s.data())) {
            ++m_out.params.back().size;
            s.remove_prefix(1);
            if (s.empty()) return;
        }
        room(s.size());
        copy_short(m_w, s.data(), s.size());
        m_w += s.size();
        m_all_wild = false;
    }

    void variable(std::string_view value, ParamKind kind) {
        auto begin = static_cast<std::uint32_t>(value.data() - m_msg.data());
        if (touches_last_variable(value.data())) {  // `<*><*>`: grow the previous one
            MaskedParam& last = m_out.params.back();
            last.size = begin + static_cast<std::uint32_t>(value.size()) - last.begin;
            return;
        }
        if (begin > 0 && m_msg[begin - 1] == '<' && size() > m_text_begin && m_w[-1] == '<') {
            --m_w;
            --begin;
            if (size() == m_text_begin) m_all_wild = true;  // the `<` was all of it so far
        }
        room(k_wildcard.size());
        std::memcpy(m_w, k_wildcard.data(), k_wildcard.size());
        m_w += k_wildcard.size();
        if (m_out.params.size() == m_out.params.capacity()) grow_params();
        m_out.params.push_back({begin, static_cast<std::uint32_t>(value.data() + value.size() - m_msg.data()) - begin, kind});
    }

    // true when the masked token so far ends with a variable whose value ends right at `at`
    [[gnu::always_inline]] bool touches_last_variable(const char* at) const {
        if (m_out.params.size() <= m_first_param || size() < m_text_begin + k_wildcard.size()) return false;
        if (std::string_view(m_w - k_wildcard.size(), k_wildcard.size()) != k_wildcard) return false;
        const MaskedParam& last = m_out.params.back();
        return m_msg.data() + last.begin + last.size == at;
    }

    // Masks one piece of a token (a whole token unless user masks cut it). `end` is where the
    // piece ends in the message; returns where masking goes on (past a unit it took along).
    std::size_t piece(std::string_view t, std::size_t end, bool may_absorb, bool special) {
        m_piece_end = end;
        if (!special) {
            word(t);
            return end;
        }

        std::size_t b = 0, e = t.size();
        while (b < e && is_lead_punct(t[b])) ++b;
        while (e > b && is_trail_punct(t[e - 1])) --e;
        const std::string_view core = slice(t, b, e - b);
        const TokenShape shape(core);  // the one pass over the token that decides what runs
        if (!shape.special()) {
            literal(head(t, e));  // `src:`: the specials were punctuation around a word
            if (const std::string_view flag = flag_word(tail(t, e)); !flag.empty()) variable(flag, ParamKind::word);
            else literal(tail(t, e));
            return end;
        }
        literal(head(t, b));
        ParamKind kind;
        const bool number = shape.number(core);
        bool next_not_unit = false;  // the next token, whole, was found not to be a unit
        if (number && may_absorb && e == t.size()) {
            // `3.5 GB,` is one size: the unit goes into the variable, its punctuation stays
            const std::string_view next = next_token();
            std::size_t ue = next.size();
            while (ue > 0 && is_trail_punct(next[ue - 1])) --ue;
            next_not_unit = ue > 0 && ue == next.size();
            if (ue > 0 && classify_unit(head(next, ue), kind)) {
                std::size_t value_end = static_cast<std::size_t>(next.data() - m_msg.data()) + ue;
                const std::size_t value_begin = static_cast<std::size_t>(core.data() - m_msg.data());
                std::size_t resume = static_cast<std::size_t>(next.data() - m_msg.data()) + next.size();
                std::string_view rest = tail(next, ue);
                if (rest.empty()) {
                    // `123 bytes (1.2 KB)`: the same amount in other units is part of the value
                    if (const std::size_t detail = unit_detail(value_end); detail > 0) {
                        value_end += detail;
                        const std::size_t token_end = token_end_at(value_end);
                        rest = m_msg.substr(value_end, token_end - value_end);
                        resume = token_end;
                    }
                }
                variable(m_msg.substr(value_begin, value_end - value_begin), kind);
                literal(rest);
                return resume;
            }
        }
        if (number) {
            // what classify_token would say of a number (an IPv4 address has three dots)
            kind = shape.dots() == 3 && is_ipv4(core) ? ParamKind::ip : ParamKind::number;
            if (kind == ParamKind::number && !next_not_unit) classify_unit(next_token(), kind);  // `3.5 GB`
            variable(core, kind);
        } else {
            whole_or_parts(core, shape);
        }
        literal(tail(t, e));
        return end;
    }

    // ` (1.2 KB)` right after a size or duration at `at`: its length (up to the `)`), else 0.
    std::size_t unit_detail(std::size_t at) const {
        std::size_t i = at;
        while (i < m_msg.size() && m_msg[i] == ' ') ++i;
        if (i == at || i >= m_msg.size() || m_msg[i] != '(') return 0;
        const std::size_t close = m_msg.find(')', i);
        if (close == std::string_view::npos || close - i > 24) return 0;
        std::string_view inner = m_msg.substr(i + 1, close - i - 1);
        std::size_t n = 0;
        if (!number_prefix(inner, n)) return 0;
        inner.remove_prefix(n);
        if (!inner.empty() && inner[0] == ' ') inner.remove_prefix(1);
        ParamKind kind;
        return classify_unit(inner, kind) ? close + 1 - at : 0;
    }

    std::size_t token_end_at(std::size_t i) const {
        while (i < m_msg.size() && !is_space(m_msg[i])) ++i;
        return i;
    }

    // Month and weekday names next to a date or time (`Sat Jun 18 02:08:10`) are part of it.
    bool is_date_word(std::string_view t) const {
        if (t.size() < 3 || t.size() > 9 || t[0] < 'A' || t[0] > 'Z') return false;
        const bool month = is_month(t), day = !month && is_weekday(t);
        if (!month && !day) return false;
        if (t.size() != 3 && !(t.size() == 4 && t[3] == ',')) {
            // full names: January, Saturday...
            for (char c : tail(t, 3))
                if (c < 'a' || c > 'z') return false;
        }
        const std::string_view next = next_token();
        if (next.empty()) return false;
        if (is_digit(next[0])) return true;
        return day && is_month(next);
    }

private:
    // A token without digits or any of `/@\=:.`: a date word, a flag, or text.
    void word(std::string_view t) {
        if (is_date_word(t)) return variable(t, ParamKind::time);
        // flag_word's own first test, here so that most words skip the call
        const char c = static_cast<char>(t[0] | 0x20);
        if (t.size() >= 4 && (c == 't' || c == 'f' || c == 'n')) {
            if (const std::string_view flag = flag_word(t); !flag.empty()) {
                variable(flag, ParamKind::word);
                return literal(tail(t, flag.size()));
            }
        }
        literal(t);
    }

    void whole_or_parts(std::string_view core, const TokenShape& shape) {
        // HDFS `/10.0.0.1:50010` (an IPv4 address has three dots and no slash)
        if (shape.dots() == 3 && shape.slashes() == 1 && core.size() > 1 && core[0] == '/' && is_ipv4(tail(core, 1)))
            return variable(core, ParamKind::ip);
        ParamKind kind;
        if (classify_shaped(core, shape, kind)) {
            if (kind == ParamKind::number) classify_unit(next_token(), kind);  // `3.5 GB`
            return variable(core, kind);
        }
        if (is_word_with_digit(core)) return literal(core);  // ssh2, utf8, md5: names, not values
        if (const std::size_t plus = shape.has(c_plus) ? frame_offset(core) : std::string_view::npos;
            plus != std::string_view::npos) {
            // a stack frame `do_page_fault+0x1a/0x50`: the symbol is the event, offsets vary
            literal(core.substr(0, plus + 1));
            const std::string_view offsets = core.substr(plus + 1);
            const std::size_t slash = offsets.find('/');
            variable(offsets.substr(0, slash), ParamKind::hex);
            if (slash == std::string_view::npos) return;
            literal("/");
            return variable(offsets.substr(slash + 1), ParamKind::hex);
        }
        const auto eq = shape.has(c_eq) ? core.find('=') : std::string_view::npos;
        if (eq != std::string_view::npos && eq > 0 && !has_digit(core.substr(0, eq)) &&
            core.find_first_of("=,;&", eq + 1) == std::string_view::npos) {
            const std::string_view value = core.substr(eq + 1);
            literal(core.substr(0, eq + 1));
            if (value.empty() || (!has_digit(value) && !is_plain_value(value) && value[0] != '"')) return literal(value);
            std::size_t vb = 0, ve = value.size();
            while (vb < ve && is_lead_punct(value[vb])) ++vb;
            while (ve > vb && is_trail_punct(value[ve - 1])) --ve;
            literal(value.substr(0, vb));
            const std::string_view v = value.substr(vb, ve - vb);
            if (!classify_token(v, kind)) kind = ParamKind::kv;
            variable(v, kind);
            return literal(value.substr(ve));
        }
        if (!shape.has(c_delim)) {
            // one part, the whole token: a variable when it holds a digit (parts() would say so)
            if (shape.digits() > 0) return variable(core, ParamKind::id);
            return literal(core);
        }
        parts(core);
    }

    // Every delimiter-separated part holding a digit is a variable.
    void parts(std::string_view core) {
        std::size_t i = 0;
        while (i < core.size()) {
            if (is_delim(core[i])) {
                std::size_t j = i;
                while (j < core.size() && is_delim(core[j])) ++j;
                literal(slice(core, i, j - i));
                i = j;
                continue;
            }
            std::size_t j = i;
            bool digit = false;
            while (j < core.size() && !is_delim(core[j])) digit |= is_digit(core[j++]);
            const std::string_view part = slice(core, i, j - i);
            if (!digit) {
                if (i > 0 && (core[i - 1] == ':' || core[i - 1] == '=') && flag_word(part).size() == part.size())
                    variable(part, ParamKind::word);  // overlap:false
                else
                    literal(part);
            } else {
                ParamKind kind = ParamKind::id;  // a whole core was classified already
                if (part.size() != core.size() && !classify_token(part, kind)) kind = ParamKind::id;
                variable(part, kind);
            }
            i = j;
        }
    }

    std::string_view next_token() const {
        std::size_t pos = m_piece_end;
        while (pos < m_msg.size() && is_space(m_msg[pos])) ++pos;
        std::size_t end = pos;
        while (end < m_msg.size() && !is_space(m_msg[end])) ++end;
        return slice(m_msg, pos, end - pos);
    }

    std::size_t size() const noexcept { return static_cast<std::size_t>(m_w - m_base); }

    // Makes room for n more bytes of text (rarely needed: see the constructor).
    void room(std::size_t n) {
        if (static_cast<std::size_t>(m_end - m_w) < n) grow(n);
    }

    // Out of line, as grow() is (push_back below then never reallocates).
    [[gnu::noinline]] void grow_params() { m_out.params.reserve(2 * m_out.params.capacity() + 16); }

    // Out of line, so that the writers that call room() stay small.
    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t used = size();
        m_out.scratch.resize(2 * m_out.scratch.size() + n);
        m_base = m_out.scratch.data();
        m_w = m_base + used;
        m_end = m_base + m_out.scratch.size();
    }

    std::string_view m_msg;
    std::size_t m_piece_end = 0;
    MaskedMessage& m_out;
    char* m_base = nullptr;  // out.text's bytes
    char* m_w = nullptr;     // where the next byte of masked text goes
    char* m_end = nullptr;
    std::uint32_t m_text_begin = 0, m_orig_begin = 0, m_first_param = 0;  // of the open token
    bool m_all_wild = true;
};

// The end of the token starting at i (the first whitespace, or `stop`); `special` tells whether
// it holds a digit or one of `/@\=:.`. Sixteen bytes at a time where SSE2 is there (every x86-64):
// this scan was a fifth of the masker's instructions with one table lookup per byte.
std::size_t scan_token(std::string_view m, std::size_t i, std::size_t stop, bool& special) noexcept {
    std::uint8_t seen = 0;
#ifdef __SSE2__
    const auto in_range = [](__m128i x, char lo, char hi) {
        const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(lo));
        return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
    };
    // bit k of `space` / `spec`: byte at + k is whitespace / one of k_special
    const auto classify16 = [&](std::size_t at, unsigned& space, unsigned& spec) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m.data() + at));
        space = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), in_range(x, '\t', '\r'))));
        spec = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(in_range(x, '.', ':'), _mm_cmpeq_epi8(x, _mm_set1_epi8('='))),
            _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))))));
    };
    unsigned space_bits = 0, spec_bits = 0;
    for (; i + 16 <= stop; i += 16) {
        classify16(i, space_bits, spec_bits);
        if (space_bits != 0) {
            const unsigned before = (space_bits & (0u - space_bits)) - 1;  // bytes before the first space
            special = seen != 0 || (spec_bits & before) != 0;
            return i + static_cast<std::size_t>(__builtin_ctz(space_bits));
        }
        seen |= spec_bits != 0;
    }
    if (i < stop && stop >= 16) {
        // under sixteen bytes left: the sixteen that end at `stop`, less those before i (read
        // before, inside the message), instead of a byte at a time
        const std::size_t at = stop - 16;
        classify16(at, space_bits, spec_bits);
        space_bits >>= i - at;
        spec_bits >>= i - at;
        if (space_bits != 0) {
            const unsigned before = (space_bits & (0u - space_bits)) - 1;
            special = seen != 0 || (spec_bits & before) != 0;
            return i + static_cast<std::size_t>(__builtin_ctz(space_bits));
        }
        special = seen != 0 || spec_bits != 0;
        return stop;
    }
#endif
    for (; i < stop; ++i) {
        const std::uint8_t bits = k_scan[static_cast<unsigned char>(m[i])];
        if (bits & k_scan_space) break;
        seen |= bits;
    }
    special = seen != 0;
    return i;
}

// Where the quote opening a token at `i` closes, when the quoted text is plain words (no digit
// and none of `/@\=:.`, so `"GET /a HTTP/1.1"` is masked token by token), holds a space (a
// single quoted word stays a word) and fits on the line within k_max_quoted bytes; else npos.
std::size_t quoted_end(std::string_view m, std::size_t i) {
    constexpr std::size_t k_max_quoted = 256;
    const char q = m[i];
    if (q != '"' && q != '\'') return std::string_view::npos;
    bool space = false;
    for (std::size_t j = i + 1; j < m.size() && j <= i + k_max_quoted; ++j) {
        const char c = m[j];
        if (c == '\n' || c == '\r') break;
        if (c == q) {
            const bool ends = j + 1 == m.size() || is_space(m[j + 1]) || is_trail_punct(m[j + 1]);
            return space && j > i + 1 && ends ? j : std::string_view::npos;
        }
        if (k_special[static_cast<unsigned char>(c)]) break;  // a request line, a path: masked token by token
        space |= is_space(c);
    }
    return std::string_view::npos;
}

}  // namespace

void Masker::mask(std::string_view message, MaskedMessage& out) const {
    out.clear();
    Builder b(message, out);

    // user spans first; tokens are cut at their edges
    struct Span {
        std::size_t first, second;
    };
    Span spans_buf[64];  // left uninitialised: most messages have no user mask
    constexpr std::size_t k_max_spans = 64;
    std::size_t nspans = 0;
    if (m_user) {
        re2::StringPiece input(message.data(), message.size());
        re2::StringPiece match;
        std::size_t pos = 0;
        while (pos <= message.size() && nspans < k_max_spans &&
               m_user->combined->Match(input, pos, message.size(), RE2::UNANCHORED, &match, 1)) {
            const std::size_t mb = static_cast<std::size_t>(match.data() - message.data());
            const std::size_t me = mb + match.size();
            if (me == mb) {  // empty match: step over
                pos = mb + 1;
                continue;
            }
            spans_buf[nspans++] = {mb, me};
            pos = me;
        }
    }

    std::size_t i = 0, span = 0;
    const std::size_t n = message.size();
    while (i < n) {
        while (i < n && is_space(message[i])) ++i;
        if (i >= n) break;
        b.begin_token(i);
        if (nspans == 0 && (message[i] == '"' || message[i] == '\'')) {
            // `"red running shoes"`: a quoted run of words is one value, however many words
            if (const std::size_t close = quoted_end(message, i); close != std::string_view::npos) {
                b.literal(message.substr(i, 1));
                b.variable(message.substr(i + 1, close - i - 1), ParamKind::word);
                b.literal(message.substr(close, 1));
                i = close + 1;
            }
        }
        // a token runs to the next space that is not inside a user span
        while (i < n && !is_space(message[i])) {
            if (span < nspans && spans_buf[span].first <= i) {
                const auto [sb, se] = spans_buf[span++];
                b.variable(message.substr(sb, se - sb), ParamKind::user);
                i = se;
                continue;
            }
            const std::size_t stop = span < nspans ? spans_buf[span].first : n;
            bool special = false;
            const std::size_t j = scan_token(message, i, stop, special);
            i = b.piece(slice(message, i, j - i), j, nspans == 0, special);
        }
        b.end_token(i);
    }
    b.finish();
}

}  // namespace logad::mine
