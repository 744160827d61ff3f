#pragma once
// The data model every stage shares: a raw line becomes a Record (parse/), a Record becomes an
// Event with a template and parameters (mine/), an Event becomes a feature row (featurize/),
// and a row gets a score (model/).
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logad {

enum class Level : std::uint8_t { unknown, trace, debug, info, warn, error, fatal };

// "WARNING", "warn", "W", "err", "CRITICAL", syslog severities 0-7, bunyan/pino numbers 10-60...
Level parse_level(std::string_view text) noexcept;
std::string_view level_name(Level level) noexcept;  // "" for unknown

inline constexpr std::int64_t k_no_time = std::numeric_limits<std::int64_t>::min();

// A header or JSON field that was not mapped to ts/level/message.
struct Field {
    std::string key;
    std::string value;  // plain text, or a JSON literal when `json` is true
    bool json = false;  // value is JSON text (number, bool, object...) to emit verbatim
};

// The HTTP status a field holds: its name says status (`status`, `http_status`, `statusCode`,
// `http.response.status_code`, any case) and its value is a three-digit code 100-599, as a JSON
// number, a JSON string or plain text. 0 otherwise. Access logs, JSON and logfmt alike.
int http_status(const Field& field) noexcept;

struct Record {
    std::uint64_t line = 0;        // 1-based input line of the record's first physical line
    std::uint32_t line_count = 1;  // physical lines folded into it (continuations included)
    std::int64_t ts_ms = k_no_time;  // milliseconds since the Unix epoch, UTC
    Level level = Level::unknown;
    std::string message;
    std::vector<Field> fields;

    bool has_time() const noexcept { return ts_ms != k_no_time; }
    void clear() noexcept {
        line = 0;
        line_count = 1;
        ts_ms = k_no_time;
        level = Level::unknown;
        message.clear();
        fields.clear();
    }
    // Member by member: std::swap's three moves of a whole record cost twice as much, once per
    // line in a reader -> miner chain.
    void swap(Record& other) noexcept {
        std::swap(line, other.line);
        std::swap(line_count, other.line_count);
        std::swap(ts_ms, other.ts_ms);
        std::swap(level, other.level);
        message.swap(other.message);
        fields.swap(other.fields);
    }
};

// What a masked or mined variable looked like.
enum class ParamKind : std::uint8_t {
    number, hex, ip, uuid, path, url, email, duration, size, time, kv, id, word, user
};
std::string_view param_kind_name(ParamKind kind) noexcept;

struct Param {
    std::string value;
    ParamKind kind = ParamKind::word;
};

struct Event {
    Record record;
    std::uint32_t template_id = 0;  // stable for the same template across runs (see mine/)
    std::string template_text;      // variables written <*>, the Loghub convention
    std::vector<Param> params;      // variable values, in order of appearance
};

}  // namespace logad
