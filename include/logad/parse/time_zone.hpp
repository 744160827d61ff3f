#pragma once
// --tz: the zone that timestamps without an offset were written in. A fixed offset ("+02:00",
// "-0530", "UTC") or an IANA name ("Europe/Berlin") read from the system's TZif files
// ($TZDIR, else /usr/share/zoneinfo; RFC 8536). g++ 12's libstdc++ has no std::chrono::locate_zone,
// hence the small reader. After the file's last transition (2037 in Debian's "fat" files) its
// last offset holds.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logad::parse {

class TimeZone {
public:
    // Throws UsageError for a malformed offset, an unknown name or a damaged file.
    static std::shared_ptr<const TimeZone> load(std::string_view name);

    const std::string& name() const noexcept { return m_name; }
    // Offset from UTC in seconds in force at `utc_s` (seconds since the epoch).
    std::int32_t offset_at(std::int64_t utc_s) const noexcept;
    // A wall-clock time in this zone (milliseconds, counted as if it were UTC) -> UTC milliseconds.
    // In a DST overlap or gap the offset in force before the change is used.
    std::int64_t to_utc(std::int64_t local_ms) const noexcept;

private:
    std::string m_name;
    std::int32_t m_initial = 0;              // before the first transition
    std::vector<std::int64_t> m_transitions;  // UTC seconds, ascending
    std::vector<std::int32_t> m_offsets;      // offset from each transition on
};

}  // namespace logad::parse
