#include <logad/parse/timestamp.hpp>

#include <logad/record.hpp>
#include <logad/util/civil_time.hpp>

#include <chrono>

namespace logad::parse {
namespace {

constexpr std::int64_t k_day_ms = 86'400'000;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
char lower(char c) noexcept { return static_cast<char>(c | 0x20); }

struct Scan {
    const char* p;
    const char* e;

    bool done() const noexcept { return p == e; }
    bool peek(char c) const noexcept { return p < e && *p == c; }
    bool eat(char c) noexcept {
        if (p < e && *p == c) return ++p, true;
        return false;
    }
    bool eat_any(std::string_view set, char* which = nullptr) noexcept {
        if (p < e && set.find(*p) != std::string_view::npos) {
            if (which) *which = *p;
            return ++p, true;
        }
        return false;
    }
    // Between `lo` and `hi` digits; false when fewer than `lo`.
    bool num(int lo, int hi, int& v) noexcept {
        if (hi == 2 && e - p >= 2 && is_digit(p[0]) && is_digit(p[1])) {  // the usual field: two digits
            v = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
            return lo <= 2;
        }
        int n = 0;
        v = 0;
        while (n < hi && p < e && is_digit(*p)) v = v * 10 + (*p++ - '0'), ++n;
        return n >= lo;
    }
    int spaces() noexcept {
        int n = 0;
        while (p < e && *p == ' ') ++p, ++n;
        return n;
    }
};

struct Parts {
    int year = -1;  // -1: not in the text
    int month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    int offset_min = 0;
    bool has_offset = false;  // the text named its zone (Z, UTC, +hh:mm)
};

int month_from_name(Scan& s) noexcept {
    static constexpr std::string_view k_months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.e - s.p < 3) return 0;
    const char m[3] = {lower(s.p[0]), lower(s.p[1]), lower(s.p[2])};
    for (int i = 0; i < 12; ++i) {
        if (std::string_view(m, 3) == k_months[i]) {
            s.p += 3;
            while (s.p < s.e && is_alpha(*s.p)) ++s.p;  // "January"
            return i + 1;
        }
    }
    return 0;
}

bool skip_weekday(Scan& s) noexcept {
    static constexpr std::string_view k_days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (s.e - s.p < 3) return false;
    const char d[3] = {lower(s.p[0]), lower(s.p[1]), lower(s.p[2])};
    for (auto day : k_days) {
        if (std::string_view(d, 3) == day) {
            s.p += 3;
            while (s.p < s.e && is_alpha(*s.p)) ++s.p;
            s.eat(',');
            return s.spaces() > 0;
        }
    }
    return false;
}

// Fraction digits after the separator, as milliseconds (truncated).
void fraction(Scan& s, int& ms) noexcept {
    int n = 0;
    ms = 0;
    while (s.p < s.e && is_digit(*s.p)) {
        if (n < 3) ms = ms * 10 + (*s.p - '0');
        ++n, ++s.p;
    }
    for (; n < 3; ++n) ms *= 10;
}

// HH:MM:SS (minutes and seconds may be unpadded) or HH.MM.SS, with an optional fraction after . , or :
bool clock_time(Scan& s, Parts& t) noexcept {
    char sep = 0;
    if (!s.num(1, 2, t.hour) || !s.eat_any(":.", &sep)) return false;
    const int least = sep == ':' ? 1 : 2;  // HealthApp writes 22:16:0:119 (unpadded)
    if (!s.num(least, 2, t.minute) || !s.eat(sep) || !s.num(least, 2, t.second)) return false;
    const char* mark = s.p;
    if (s.eat_any(".,:")) {
        if (s.p < s.e && is_digit(*s.p)) fraction(s, t.ms);
        else s.p = mark;
    }
    return true;
}

// Optional Z, UTC, GMT, +hh:mm, +hhmm, +hh, possibly after one space.
bool zone(Scan& s, Parts& t) noexcept {
    const char* mark = s.p;
    s.eat(' ');
    if (s.done()) return s.p = mark, true;
    if (s.eat('Z') || s.eat('z')) return t.has_offset = true;
    if (s.e - s.p >= 3 && (std::string_view(s.p, 3) == "UTC" || std::string_view(s.p, 3) == "GMT")) {
        s.p += 3;
        t.has_offset = true;
        if (s.done()) return true;
    }
    char sign = 0;
    if (!s.eat_any("+-", &sign)) return s.p = mark, true;  // not a zone: the caller checks the rest
    int hh = 0, mm = 0;
    if (!s.num(2, 2, hh)) return false;
    s.eat(':');
    if (s.p < s.e && is_digit(*s.p) && !s.num(2, 2, mm)) return false;
    if (hh > 23 || mm > 59) return false;
    t.offset_min = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
    return t.has_offset = true;
}

int year_of(std::int64_t ms) noexcept {
    const std::int64_t days = (ms >= 0 ? ms : ms - k_day_ms + 1) / k_day_ms;
    auto y = static_cast<int>(1970 + days / 366);
    while (util::days_from_civil(y + 1, 1, 1) <= days) ++y;
    return y;
}

std::int64_t compose(const Parts& t, int year) noexcept {
    return util::days_from_civil(year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * k_day_ms +
           ((t.hour * 60 + t.minute) * 60 + t.second) * std::int64_t(1000) + t.ms -
           t.offset_min * std::int64_t(60'000);
}

// Wall-clock time -> UTC: the offset the text gave, else the --tz zone, else UTC.
std::int64_t compose_in_zone(const Parts& t, int year, const TimeContext& context) noexcept {
    const std::int64_t ms = compose(t, year);
    return t.has_offset || !context.zone ? ms : context.zone->to_utc(ms);
}

std::int64_t finish(const Parts& t, const TimeContext& context) noexcept {
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 24 || t.minute > 59 ||
        t.second > 60)
        return k_no_time;
    if (t.year >= 0) return compose_in_zone(t, t.year, context);
    if (context.year > 0) return compose_in_zone(t, context.year, context);
    const std::int64_t now = context.now_ms != 0 ? context.now_ms : util::wall_clock_ms();
    const int year = context.now_year != 0 ? context.now_year : year_of(now);
    const std::int64_t ms = compose_in_zone(t, year, context);
    return ms > now + k_day_ms ? compose_in_zone(t, year - 1, context) : ms;
}

// Starts with a month name or a weekday: syslog "Oct 11 22:14:15", asctime "Sun Dec 04 04:47:44 2005".
bool named_month(Scan& s, Parts& t) noexcept {
    skip_weekday(s);
    if ((t.month = month_from_name(s)) == 0) return false;
    if (s.spaces() == 0 && !s.eat('-')) return false;
    if (!s.num(1, 2, t.day)) return false;
    if (s.spaces() == 0) return false;
    const char* mark = s.p;
    int year = 0;
    if (s.num(4, 4, year) && s.spaces() > 0) t.year = year;  // "Oct 11 2005 22:14:15"
    else s.p = mark;
    if (!clock_time(s, t)) return false;
    mark = s.p;
    if (t.year < 0 && s.spaces() > 0 && s.num(4, 4, year)) t.year = year;  // asctime's trailing year
    else if (t.year < 0) s.p = mark;
    return zone(s, t);
}

bool numeric(Scan& s, Parts& t, std::size_t lead) noexcept {
    const char* start = s.p;
    if (lead == 4 && s.e - s.p > 5 && s.p[4] == ' ') {  // klog I1201 08:00:03.123456 (MMdd, no year)
        s.num(2, 2, t.month), s.num(2, 2, t.day);
        s.spaces();
        return clock_time(s, t) && zone(s, t);
    }
    if (lead == 4) {  // 2016-10-06[T ]00:17:09.669Z, 2005-06-03-15.42.50.675872, 2005.06.03
        char sep = 0;
        if (!s.num(4, 4, t.year) || !s.eat_any("-/.", &sep) || !s.num(1, 2, t.month) || !s.eat(sep) ||
            !s.num(1, 2, t.day))
            return false;
        if (s.done()) return true;
        if (!s.eat_any("Tt -_") || !clock_time(s, t)) return false;
        return zone(s, t);
    }
    if (lead == 6 && s.e - s.p >= 13 && s.p[6] == ' ') {  // HDFS 081109 203615
        int yy = 0;
        s.num(2, 2, yy), s.num(2, 2, t.month), s.num(2, 2, t.day);
        s.spaces();
        t.year = 2000 + yy;
        return s.num(2, 2, t.hour) && s.num(2, 2, t.minute) && s.num(2, 2, t.second);
    }
    if (lead == 8 && s.e - s.p > 9 && s.p[8] == '-') {  // HealthApp 20171223-22:15:29:606
        s.num(4, 4, t.year), s.num(2, 2, t.month), s.num(2, 2, t.day);
        s.eat('-');
        return clock_time(s, t) && zone(s, t);
    }
    if (lead > 2) return false;
    int first = 0;
    s.num(1, 2, first);
    const bool two_digits = s.p - start == 2;
    if (s.eat('/')) {
        if (s.p < s.e && is_alpha(*s.p)) {  // CLF 10/Oct/2000:13:55:36 -0700
            t.day = first;
            if ((t.month = month_from_name(s)) == 0 || !s.eat('/') || !s.num(4, 4, t.year) || !s.eat(':'))
                return false;
            return clock_time(s, t) && zone(s, t);
        }
        const int yy = first;  // Spark 17/06/09 20:10:40 (yy/MM/dd)
        if (!two_digits || !s.num(2, 2, t.month) || !s.eat('/') || !s.num(2, 2, t.day)) return false;
        t.year = 2000 + yy;
    } else if (s.eat('-') || s.eat('.')) {  // Android 03-17 16:13:38.811, Proxifier 10.30 16:49:06
        t.month = first;
        if (!s.num(2, 2, t.day)) return false;
    } else {
        return false;
    }
    if (s.spaces() == 0) return false;
    return clock_time(s, t) && zone(s, t);
}

}  // namespace

TimeContext TimeContext::make(int year, std::string_view tz) {
    TimeContext c;
    c.year = year;
    if (!tz.empty()) c.zone = TimeZone::load(tz);
    c.now_ms = util::wall_clock_ms();
    c.now_year = year_of(c.now_ms);
    return c;
}

std::int64_t parse_epoch(std::string_view text) noexcept {
    std::size_t n = 0;
    std::uint64_t v = 0;  // 19 digits fit unsigned, not signed
    while (n < text.size() && is_digit(text[n])) {
        if (n == 19) return k_no_time;  // longer than epoch nanoseconds: not a time
        v = v * 10 + static_cast<std::uint64_t>(text[n++] - '0');
    }
    int ms = 0;
    if (n < text.size()) {
        if (text[n] != '.' || n + 1 == text.size()) return k_no_time;
        Scan s{text.data() + n + 1, text.data() + text.size()};
        fraction(s, ms);
        if (!s.done()) return k_no_time;
    }
    if (n == 9 || n == 10) return static_cast<std::int64_t>(v * 1000) + ms;
    if (n == 12 || n == 13) return static_cast<std::int64_t>(v);
    if (n == 15 || n == 16) return static_cast<std::int64_t>(v / 1000);
    if (n == 18 || n == 19) return static_cast<std::int64_t>(v / 1'000'000);
    return k_no_time;
}

std::int64_t parse_timestamp(std::string_view text, const TimeContext& context) noexcept {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) return k_no_time;
    Scan s{text.data(), text.data() + text.size()};
    Parts t;
    if (is_digit(text.front())) {
        std::size_t lead = 0;
        while (lead < text.size() && is_digit(text[lead])) ++lead;
        if (lead == text.size() || (lead >= 9 && text[lead] == '.')) return parse_epoch(text);
        if (!numeric(s, t, lead)) return k_no_time;
    } else if (is_alpha(text.front())) {
        if (!named_month(s, t)) return k_no_time;
    } else {
        return k_no_time;
    }
    if (!s.done()) return k_no_time;
    return finish(t, context);
}

}  // namespace logad::parse
