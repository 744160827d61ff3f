#include "field_roles.hpp"

namespace logad::parse {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

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
    for (std::string_view m : {"content", "message", "msg"})
        if (iequals(name, m)) return Role::message;
    for (std::string_view m : {"level", "severity", "lvl", "loglevel", "log_level", "log.level"})
        if (iequals(name, m)) return Role::level;
    for (std::string_view m : {"date", "time", "timestamp", "datetime", "ts", "month", "day", "year", "@timestamp"})
        if (iequals(name, m)) return Role::time;
    return Role::other;
}

}  // namespace logad::parse
