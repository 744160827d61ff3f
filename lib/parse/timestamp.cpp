#include <logad/parse/timestamp.hpp>

#include <logad/record.hpp>
#include <logad/util/civil_time.hpp>
#include <logad/util/thread_scratch.hpp>

#include <chrono>
#include <cstring>

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
    // Where the hour, minute and second were read when each was two digits, and the fraction's
    // digits: what ClockMemo re-reads in the next text.
    const char* clock = nullptr;  // the hour; null: not two digits each
    const char* minute_at = nullptr;
    const char* second_at = nullptr;
    const char* fraction_at = nullptr;
    int fraction_len = 0;

    void note_clock(const char* hour, const char* minute, const char* second) noexcept {
        clock = hour;
        minute_at = minute;
        second_at = second;
    }
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
    const char* hour = s.p;
    if (!s.num(1, 2, t.hour) || !s.eat_any(":.", &sep)) return false;
    const bool two_hour = s.p - hour == 3;
    const int least = sep == ':' ? 1 : 2;  // HealthApp writes 22:16:0:119 (unpadded)
    const char* minute = s.p;
    if (!s.num(least, 2, t.minute) || !s.eat(sep)) return false;
    const char* second = s.p;
    if (!s.num(least, 2, t.second)) return false;
    if (two_hour && second - minute == 3 && s.p - second == 2) t.note_clock(hour, minute, second);
    const char* mark = s.p;
    if (s.eat_any(".,:")) {
        if (s.p < s.e && is_digit(*s.p)) {
            t.fraction_at = s.p;
            fraction(s, t.ms);
            t.fraction_len = static_cast<int>(s.p - t.fraction_at);
        } else {
            s.p = mark;
        }
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
        const char* hour = s.p;
        if (!s.num(2, 2, t.hour) || !s.num(2, 2, t.minute) || !s.num(2, 2, t.second)) return false;
        t.note_clock(hour, hour + 2, hour + 4);
        return true;
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

// The last text parsed, kept so that the next one, when it differs only in the digits of its
// clock (the lines of a log share their date and more), costs a re-read of those digits and not
// a parse. Kept only for a result that does not depend on the clock otherwise: no --tz
// conversion (the text named its offset, or there is no zone) and no year guessed from the
// current date. One per thread, as formats are one per thread.
class ClockMemo {
public:
    // The time when `text` differs from the last one only in its clock's digits; false otherwise.
    bool recall(std::string_view text, const TimeContext& context, std::int64_t& ms) const noexcept {
        if (m_len == 0 || text.size() != m_len) return false;
        if ((m_zone_free && context.zone) || (m_context_year >= 0 && context.year != m_context_year)) return false;
        const char* p = text.data();
        // eight bytes at a time, the last eight overlapping the ones before (m_len is 8 or more)
        for (std::size_t w = 0;; w += 8) {
            if (w + 8 > m_len) w = m_len - 8;
            std::uint64_t a, b, skip;
            std::memcpy(&a, p + w, 8);
            std::memcpy(&b, m_text + w, 8);
            std::memcpy(&skip, m_clock_bytes + w, 8);
            if (((a ^ b) & ~skip) != 0) return false;
            if (w + 8 >= m_len) break;
        }
        int hour = 0, minute = 0, second = 0;
        if (!two(p + m_hour, hour) || !two(p + m_minute, minute) || !two(p + m_second, second)) return false;
        if (hour > 24 || minute > 59 || second > 60) return false;
        int frac = 0;
        if (m_fraction_len > 0) {
            int n = 0;
            for (; n < m_fraction_len; ++n) {
                const char c = p[m_fraction + n];
                if (!is_digit(c)) return false;
                if (n < 3) frac = frac * 10 + (c - '0');
            }
            for (; n < 3; ++n) frac *= 10;
        }
        ms = m_day_ms + ((hour * 60 + minute) * 60 + second) * std::int64_t(1000) + frac;
        return true;
    }

    void remember(std::string_view text, const Parts& t, std::int64_t ms, const TimeContext& context) noexcept {
        m_len = 0;
        if (ms == k_no_time || !t.clock || text.size() < 8 || text.size() > k_max || (!t.has_offset && context.zone))
            return;
        if (t.year < 0 && context.year <= 0) return;  // the year came from the clock on the wall
        const auto at = [&](const char* p) { return static_cast<std::uint8_t>(p - text.data()); };
        m_hour = at(t.clock);
        if (m_hour > 0 && is_digit(text[m_hour - 1])) return;  // the digits before it would run on
        m_minute = at(t.minute_at);
        m_second = at(t.second_at);
        m_fraction = t.fraction_at ? at(t.fraction_at) : 0;
        m_fraction_len = static_cast<std::uint8_t>(t.fraction_len);
        std::memset(m_text, 0, k_max);
        std::memcpy(m_text, text.data(), text.size());
        std::memset(m_clock_bytes, 0, k_max);
        for (std::uint8_t i : {m_hour, m_minute, m_second})
            m_clock_bytes[i] = m_clock_bytes[i + 1] = static_cast<char>(0xFF);
        for (int i = 0; i < m_fraction_len; ++i) m_clock_bytes[m_fraction + i] = static_cast<char>(0xFF);
        m_day_ms = ms - (((t.hour * 60 + t.minute) * 60 + t.second) * std::int64_t(1000) + t.ms);
        m_zone_free = !t.has_offset;
        m_context_year = t.year >= 0 ? -1 : context.year;
        m_len = static_cast<std::uint8_t>(text.size());
    }

private:
    static constexpr std::size_t k_max = 32;
    static bool two(const char* p, int& v) noexcept {
        if (!is_digit(p[0]) || !is_digit(p[1])) return false;
        v = (p[0] - '0') * 10 + (p[1] - '0');
        return true;
    }

    char m_text[k_max] = {};         // zero-padded
    char m_clock_bytes[k_max] = {};  // 0xFF where the clock's digits are
    std::uint8_t m_len = 0;          // 0: nothing kept
    std::uint8_t m_hour = 0, m_minute = 0, m_second = 0, m_fraction = 0, m_fraction_len = 0;
    bool m_zone_free = false;  // the text named no offset: valid only without a zone
    int m_context_year = -1;   // the context's year it took, or -1 when the text had one
    std::int64_t m_day_ms = 0;  // the time less the clock
};

ClockMemo& clock_memo() noexcept { return util::thread_scratch<ClockMemo>(); }

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
    ClockMemo& memo = clock_memo();
    if (std::int64_t ms = 0; memo.recall(text, context, ms)) return ms;
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
    const std::int64_t ms = finish(t, context);
    memo.remember(text, t, ms, context);
    return ms;
}

}  // namespace logad::parse
