#include <logad/util/civil_time.hpp>

#include <chrono>
#include <cstring>

namespace logad::util {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain description).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {

struct Civil {
    std::int64_t year;
    unsigned month, day;
};

Civil civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

// Writes v as exactly `width` digits (zero-padded; v < 10^width) ending before `end`.
void put_digits(char* end, unsigned v, int width) noexcept {
    for (int i = 0; i < width; ++i) {
        *--end = static_cast<char>('0' + v % 10);
        v /= 10;
    }
}

}  // namespace

std::string rfc3339_ms(std::int64_t epoch_ms) {
    std::string s;
    append_rfc3339_ms(s, epoch_ms);
    return s;
}

namespace {

// Reads `n` digits at `at` as a number; false when they are not all digits.
bool read_digits(std::string_view s, std::size_t at, std::size_t n, int& out) noexcept {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

bool parse_rfc3339_ms(std::string_view s, std::int64_t& epoch_ms) noexcept {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    if (!read_digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !read_digits(s, 5, 2, month) || s[7] != '-' ||
        !read_digits(s, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    std::size_t at = 10;
    std::int64_t offset_ms = 0;
    if (at < s.size()) {
        if ((s[at] != 'T' && s[at] != 't' && s[at] != ' ') || !read_digits(s, at + 1, 2, hour) || at + 3 >= s.size() ||
            s[at + 3] != ':' || !read_digits(s, at + 4, 2, minute))
            return false;
        at += 6;
        if (at < s.size() && s[at] == ':') {
            if (!read_digits(s, at + 1, 2, second)) return false;
            at += 3;
            if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
                ++at;
                int scale = 100;
                for (; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10) ms += (s[at] - '0') * scale;
            }
        }
        if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
            ++at;
        } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
            int oh = 0, om = 0;
            if (!read_digits(s, at + 1, 2, oh)) return false;
            std::size_t next = at + 3;
            if (next < s.size() && s[next] == ':') ++next;
            if (!read_digits(s, next, 2, om)) return false;
            offset_ms = (s[at] == '-' ? -1 : 1) * (oh * 3600000LL + om * 60000LL);
            at = next + 2;
        }
        if (at != s.size() || hour > 23 || minute > 59 || second > 60) return false;
    }
    const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    epoch_ms = days * 86400000LL + hour * 3600000LL + minute * 60000LL + second * 1000LL + ms - offset_ms;
    return true;
}

void append_rfc3339_ms(std::string& out, std::int64_t epoch_ms) {
    char buf[24];
    out.append(buf, write_rfc3339_ms(buf, epoch_ms));
}

char* write_rfc3339_ms(char* dest, std::int64_t epoch_ms) noexcept {
    std::int64_t days = epoch_ms / 86400000;
    std::int64_t rem = epoch_ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        --days;
    }
    const Civil c = civil_from_days(days);
    if (c.year < 0 || c.year > 9999) {  // RFC 3339 has four-digit years; clamp rather than lie
        std::memcpy(dest, c.year < 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z", 24);
        return dest + 24;
    }
    std::memcpy(dest, "0000-00-00T00:00:00.000Z", 24);
    const auto r = static_cast<unsigned>(rem);
    put_digits(dest + 4, static_cast<unsigned>(c.year), 4);
    put_digits(dest + 7, c.month, 2);
    put_digits(dest + 10, c.day, 2);
    put_digits(dest + 13, r / 3600000, 2);
    put_digits(dest + 16, r / 60000 % 60, 2);
    put_digits(dest + 19, r / 1000 % 60, 2);
    put_digits(dest + 23, r % 1000, 3);
    return dest + 24;
}

std::int64_t wall_clock_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace logad::util
