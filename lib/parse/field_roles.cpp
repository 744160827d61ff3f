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
    // one table of string_views (no strlen per call), tried by length and first letter before
    // the comparison: a JSON line asks this for each of its members
    struct Named {
        std::string_view text;
        Role role;
    };
    static constexpr Named k_names[] = {
        {"content", Role::message},  {"message", Role::message},   {"msg", Role::message},
        {"level", Role::level},      {"severity", Role::level},    {"lvl", Role::level},
        {"loglevel", Role::level},   {"log_level", Role::level},   {"log.level", Role::level},
        {"date", Role::time},        {"time", Role::time},         {"timestamp", Role::time},
        {"datetime", Role::time},    {"ts", Role::time},           {"month", Role::time},
        {"day", Role::time},         {"year", Role::time},         {"@timestamp", Role::time},
    };
    if (name.size() < 2 || name.size() > 10) return Role::other;
    char first = name[0];
    if (first >= 'A' && first <= 'Z') first = static_cast<char>(first + 32);
    for (const Named& n : k_names)
        if (n.text.size() == name.size() && n.text[0] == first && iequals(name, n.text)) return n.role;
    return Role::other;
}

}  // namespace logad::parse
