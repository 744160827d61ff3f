#include <logad/parse/time_zone.hpp>

#include <logad/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace logad::parse {
namespace {

// "+02:00", "-0530", "+2", "UTC+1"... as seconds east of UTC; false when `s` is not an offset.
bool parse_offset(std::string_view s, std::int32_t& seconds) {
    for (std::string_view p : {"UTC", "GMT"})
        if (s.substr(0, 3) == p) s.remove_prefix(3);
    if (s.empty() || s == "Z") return seconds = 0, true;
    if (s[0] != '+' && s[0] != '-') return false;
    const int sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
    int digits[4] = {0, 0, 0, 0};
    int n = 0;
    for (char c : s) {
        if (c == ':' && n == 2) continue;
        if (c < '0' || c > '9' || n == 4) return false;
        digits[n++] = c - '0';
    }
    int hh = 0, mm = 0;
    if (n == 1) hh = digits[0];
    else if (n == 2) hh = digits[0] * 10 + digits[1];
    else if (n == 4) hh = digits[0] * 10 + digits[1], mm = digits[2] * 10 + digits[3];
    else return false;
    if (hh > 14 || mm > 59) return false;
    seconds = sign * (hh * 3600 + mm * 60);
    return true;
}

std::int64_t big_endian(const unsigned char* p, int bytes) noexcept {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = v << 8 | p[i];
    if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

}  // namespace

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name) {
    auto zone = std::make_shared<TimeZone>();
    zone->m_name = std::string(name);
    if (parse_offset(name, zone->m_initial)) return zone;

    const bool safe = !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos &&
                      std::all_of(name.begin(), name.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
                                 c == '+';
                      });
    const char* env = std::getenv("TZDIR");
    const std::string dir = env && *env ? env : "/usr/share/zoneinfo";
    const std::string path = dir + "/" + std::string(name);
    std::ifstream in(path, std::ios::binary);
    if (!safe || !in)
        throw UsageError(fmt::format("--tz {}: not an offset such as +02:00 and no time zone of that name in {} "
                                     "(use an IANA name such as Europe/Berlin)",
                                     name, dir));
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    const auto damaged = [&] { return UsageError(fmt::format("--tz {}: {} is not a valid TZif file", name, path)); };

    // Header: "TZif", version, 15 reserved bytes, then isutcnt isstdcnt leapcnt timecnt typecnt charcnt.
    std::size_t pos = 0;
    const auto header = [&](std::int64_t counts[6]) {
        if (data.size() < pos + 44 || data.compare(pos, 4, "TZif") != 0) throw damaged();
        for (int i = 0; i < 6; ++i) counts[i] = big_endian(p + pos + 20 + 4 * i, 4);
        for (int i = 0; i < 6; ++i)
            if (counts[i] < 0 || counts[i] > 100000) throw damaged();
        pos += 44;
    };
    std::int64_t c[6];
    header(c);
    const char version = data[4];
    int time_bytes = 4;
    if (version >= '2') {  // skip the 32-bit block; the 64-bit one follows
        pos += static_cast<std::size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
        header(c);
        time_bytes = 8;
    }
    const auto timecnt = static_cast<std::size_t>(c[3]), typecnt = static_cast<std::size_t>(c[4]);
    if (typecnt == 0 || data.size() < pos + timecnt * (time_bytes + 1) + typecnt * 6) throw damaged();
    const unsigned char* times = p + pos;
    const unsigned char* indices = times + timecnt * time_bytes;
    const unsigned char* types = indices + timecnt;
    const auto offset_of = [&](std::size_t type) {
        if (type >= typecnt) throw damaged();
        return static_cast<std::int32_t>(big_endian(types + 6 * type, 4));
    };
    zone->m_initial = offset_of(0);  // RFC 8536: type 0 is in force before the first transition
    for (std::size_t i = 0; i < timecnt; ++i) {
        zone->m_transitions.push_back(big_endian(times + i * time_bytes, time_bytes));
        zone->m_offsets.push_back(offset_of(indices[i]));
    }
    if (!std::is_sorted(zone->m_transitions.begin(), zone->m_transitions.end())) throw damaged();
    return zone;
}

std::int32_t TimeZone::offset_at(std::int64_t utc_s) const noexcept {
    const auto it = std::upper_bound(m_transitions.begin(), m_transitions.end(), utc_s);
    if (it == m_transitions.begin()) return m_initial;
    return m_offsets[static_cast<std::size_t>(it - m_transitions.begin() - 1)];
}

std::int64_t TimeZone::to_utc(std::int64_t local_ms) const noexcept {
    const std::int64_t local_s = local_ms >= 0 ? local_ms / 1000 : (local_ms - 999) / 1000;
    // The offset in force a day before, when it is consistent at this time; else the one a day
    // after; in a gap (neither), the one before.
    const std::int32_t before = offset_at(local_s - 86400);
    if (offset_at(local_s - before) == before) return local_ms - std::int64_t(before) * 1000;
    const std::int32_t after = offset_at(local_s + 86400);
    if (offset_at(local_s - after) == after) return local_ms - std::int64_t(after) * 1000;
    return local_ms - std::int64_t(before) * 1000;
}

}  // namespace logad::parse
