#pragma once
// Calendar arithmetic on the proleptic Gregorian calendar, UTC only (no time zone database:
// logs carry offsets or are taken as UTC).
#include <logad/export.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace logad::util {

// Days since 1970-01-01 for a civil date (month 1-12, day 1-31).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept;

// Appends ms-since-epoch as RFC 3339 UTC with milliseconds: 2008-11-09T20:36:15.000Z.
LOGAD_API void append_rfc3339_ms(std::string& out, std::int64_t epoch_ms);
// The same written at `dest` (24 bytes of room); returns the end.
char* write_rfc3339_ms(char* dest, std::int64_t epoch_ms) noexcept;

// write_rfc3339_ms for a stream of times: the date text of the last day written is kept, since
// consecutive records nearly always fall on the same day (the calendar arithmetic was a tenth
// of writing an event's NDJSON).
class Rfc3339Writer {
public:
    char* write(char* dest, std::int64_t epoch_ms) noexcept;

private:
    std::int64_t m_day = -(std::int64_t(1) << 62);  // no day yet
    char m_date[11] = {};                           // "YYYY-MM-DDT" of m_day
};
LOGAD_API std::string rfc3339_ms(std::int64_t epoch_ms);

// The one reader of logad's own times (records, verdicts, `--until`): an RFC 3339 time or its
// date alone, as ms since the epoch. Accepts 2026-12-01, 2026-12-01T08:00, 2026-12-01 08:00:00,
// fractions after '.' or ',' (to the millisecond), and Z or an offset +01:00 / +0100 (UTC when
// none). False when `text` is anything else, trailing text included.
bool parse_rfc3339_ms(std::string_view text, std::int64_t& epoch_ms) noexcept;

// The wall clock now, in ms since the epoch (the time scale of log records).
LOGAD_API std::int64_t wall_clock_ms() noexcept;

}  // namespace logad::util
