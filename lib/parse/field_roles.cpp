#include "field_roles.hpp"

namespace logad::parse {

Level level_of(std::string_view t) noexcept {
    switch (t.size()) {
        case 4:
            if (t == "INFO" || t == "info") return Level::info;
            if (t == "WARN" || t == "warn") return Level::warn;
            break;
        case 5:
            if (t == "ERROR" || t == "error") return Level::error;
            if (t == "DEBUG" || t == "debug") return Level::debug;
            break;
        default: break;
    }
    return parse_level(t);
}

Role role_of(std::string_view name) noexcept {
    // arrays of string_view, not a braced list of literals: no strlen per name per call (a
    // JSON line asks this for each of its members)
    static constexpr std::string_view k_message[] = {"content", "message", "msg"};
    static constexpr std::string_view k_level[] = {"level", "severity", "lvl", "loglevel", "log_level", "log.level"};
    static constexpr std::string_view k_time[] = {"date", "time", "timestamp", "datetime", "ts",
                                                  "month", "day", "year", "@timestamp"};
    if (name.size() < 2 || name.size() > 10) return Role::other;
    for (std::string_view m : k_message)
        if (iequals(name, m)) return Role::message;
    for (std::string_view m : k_level)
        if (iequals(name, m)) return Role::level;
    for (std::string_view m : k_time)
        if (iequals(name, m)) return Role::time;
    return Role::other;
}

}  // namespace logad::parse
