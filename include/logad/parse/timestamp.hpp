#pragma once
// Log timestamps -> milliseconds since the Unix epoch (UTC). Hand-written recognisers, no
// allocation. Accepted (leading/trailing spaces ignored, the whole text must be consumed):
//   RFC 3339 / ISO 8601   2016-10-06T00:17:09.669Z, 2016-10-06 00:17:09,669+02:00, date separators
//                         - / . ; time separators : or . ; fraction after . , or : (any digits)
//   BGL                   2005-06-03-15.42.50.675872
//   epoch numbers         9-10 digits seconds (optional .fraction), 12-13 ms, 15-16 µs, 18-19 ns
//   syslog                Oct 11 22:14:15 (optionally followed by a year), Jul  1 09:00:55
//   asctime (Apache)      Sun Dec 04 04:47:44 2005 (weekday optional, year optional)
//   CLF                   10/Oct/2000:13:55:36 -0700
//   HDFS                  081109 203615              (yyMMdd HHmmss)
//   Spark                 17/06/09 20:10:40          (yy/MM/dd; never the US MM/dd/yy)
//   Android               03-17 16:13:38.811         (MM-dd, no year)
//   Proxifier             10.30 16:49:06             (MM.dd, no year)
//   HealthApp             20171223-22:15:29:606
//   klog                  1201 08:00:03.123456       (MMdd, no year; the level letter is not part)
// Offsets (Z, UTC, GMT, +hh:mm, +hhmm, +hh) are applied; without one the time is in
// TimeContext::zone (--tz), or UTC when that is not set. Epoch numbers are UTC.
//
// Texts without a year take TimeContext::year when it is set; otherwise the current UTC year,
// or the previous year when that would put the time more than one day in the future (a log
// read in January that was written in December).
#include <logad/parse/time_zone.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace logad::parse {

struct TimeContext {
    int year = 0;             // year for yearless timestamps; 0 = the rule above
    std::int64_t now_ms = 0;  // "now" for that rule; 0 = read the clock on each call
    int now_year = 0;         // UTC year of now_ms (0 = compute it)
    std::shared_ptr<const TimeZone> zone;  // for times without an offset; null = UTC

    // now = the wall clock at this call; `tz` as TimeZone::load takes it ("" = UTC). Throws
    // UsageError for an unknown zone.
    static TimeContext make(int year = 0, std::string_view tz = {});
};

// k_no_time (record.hpp) when `text` is not a timestamp this recognises.
std::int64_t parse_timestamp(std::string_view text, const TimeContext& context) noexcept;

// Epoch number in s, ms, µs or ns by its number of digits (see above); JSON loggers write these.
std::int64_t parse_epoch(std::string_view digits) noexcept;

}  // namespace logad::parse
