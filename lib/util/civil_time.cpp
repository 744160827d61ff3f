#include <logad/util/civil_time.hpp>

#include <array>
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

namespace {

// "00" to "99", two digits in one copy
constexpr std::array<char, 200> make_pairs() {
    std::array<char, 200> d{};
    for (int i = 0; i < 100; ++i) {
        d[2 * i] = static_cast<char>('0' + i / 10);
        d[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return d;
}
constexpr std::array<char, 200> k_pairs = make_pairs();
void put2(char* at, unsigned v) noexcept { std::memcpy(at, &k_pairs[2 * v], 2); }

// Splits ms since the epoch into days and ms within the day (floor division).
void split_day(std::int64_t epoch_ms, std::int64_t& days, unsigned& ms_of_day) noexcept {
    days = epoch_ms / 86400000;
    std::int64_t rem = epoch_ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        --days;
    }
    ms_of_day = static_cast<unsigned>(rem);
}

// "YYYY-MM-DDT" of a day; false (nothing written) outside years 0-9999.
bool write_date(char* dest, std::int64_t days) noexcept {
    const Civil c = civil_from_days(days);
    if (c.year < 0 || c.year > 9999) return false;
    const auto y = static_cast<unsigned>(c.year);
    put2(dest, y / 100);
    put2(dest + 2, y % 100);
    dest[4] = '-';
    put2(dest + 5, c.month);
    dest[7] = '-';
    put2(dest + 8, c.day);
    dest[10] = 'T';
    return true;
}

// "hh:mm:ss.mmmZ" after the date
char* write_clock(char* dest, unsigned ms_of_day) noexcept {
    const unsigned s = ms_of_day / 1000, ms = ms_of_day % 1000;
    put2(dest, s / 3600);
    dest[2] = ':';
    put2(dest + 3, s / 60 % 60);
    dest[5] = ':';
    put2(dest + 6, s % 60);
    dest[8] = '.';
    dest[9] = static_cast<char>('0' + ms / 100);
    put2(dest + 10, ms % 100);
    dest[12] = 'Z';
    return dest + 13;
}

// RFC 3339 has four-digit years; clamp rather than lie
char* write_clamped(char* dest, std::int64_t days) noexcept {
    std::memcpy(dest, days < 0 ? "0000-01-01T00:00:00.000Z" : "9999-12-31T23:59:59.999Z", 24);
    return dest + 24;
}

}  // namespace

char* write_rfc3339_ms(char* dest, std::int64_t epoch_ms) noexcept {
    std::int64_t days = 0;
    unsigned ms_of_day = 0;
    split_day(epoch_ms, days, ms_of_day);
    if (!write_date(dest, days)) return write_clamped(dest, days);
    return write_clock(dest + 11, ms_of_day);
}

char* Rfc3339Writer::write(char* dest, std::int64_t epoch_ms) noexcept {
    std::int64_t days = 0;
    unsigned ms_of_day = 0;
    split_day(epoch_ms, days, ms_of_day);
    if (days != m_day) {
        if (!write_date(m_date, days)) return write_clamped(dest, days);
        m_day = days;
    }
    std::memcpy(dest, m_date, sizeof m_date);
    return write_clock(dest + sizeof m_date, ms_of_day);
}

std::int64_t wall_clock_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace logad::util
