#include <logad/record.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace logad {
namespace {

// Lower-cases into a small fixed buffer; level names are short.
std::string_view lower(std::string_view in, std::array<char, 16>& buf) noexcept {
    if (in.size() > buf.size()) return {};
    for (std::size_t i = 0; i < in.size(); ++i)
        buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(in[i])));
    return {buf.data(), in.size()};
}

}  // namespace

Level parse_level(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '[' || text.front() == '<')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == ']' || text.back() == '>' || text.back() == ':'))
        text.remove_suffix(1);
    if (text.empty()) return Level::unknown;
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) && text.size() <= 3) {
        int n = 0;
        for (char c : text) n = n * 10 + (c - '0');
        if (n >= 10) {  // bunyan / pino: 10 trace ... 60 fatal
            if (n < 20) return Level::trace;
            if (n < 30) return Level::debug;
            if (n < 40) return Level::info;
            if (n < 50) return Level::warn;
            if (n < 60) return Level::error;
            return Level::fatal;
        }
        // syslog severities: 0 emerg .. 7 debug
        static constexpr Level k_syslog[] = {Level::fatal, Level::fatal, Level::fatal, Level::error,
                                             Level::warn,  Level::info,  Level::info,  Level::debug};
        return k_syslog[n % 8];
    }
    std::array<char, 16> buf{};
    const std::string_view t = lower(text, buf);
    if (t.empty()) return Level::unknown;
    struct Name {
        std::string_view text;
        Level level;
    };
    static constexpr Name k_names[] = {
        {"trace", Level::trace},     {"t", Level::trace},         {"finest", Level::trace},
        {"finer", Level::trace},     {"verbose", Level::trace},   {"v", Level::trace},
        {"debug", Level::debug},     {"d", Level::debug},         {"dbug", Level::debug},
        {"fine", Level::debug},      {"info", Level::info},       {"i", Level::info},
        {"information", Level::info}, {"informational", Level::info}, {"notice", Level::info},
        {"config", Level::info},     {"warn", Level::warn},       {"w", Level::warn},
        {"warning", Level::warn},    {"error", Level::error},     {"e", Level::error},
        {"err", Level::error},       {"eror", Level::error},      {"severe", Level::error},
        {"fatal", Level::fatal},     {"f", Level::fatal},         {"critical", Level::fatal},
        {"crit", Level::fatal},      {"alert", Level::fatal},     {"emerg", Level::fatal},
        {"emergency", Level::fatal}, {"panic", Level::fatal},     {"failure", Level::error},
    };
    for (const auto& n : k_names)
        if (n.text == t) return n.level;
    return Level::unknown;
}

std::string_view level_name(Level level) noexcept {
    switch (level) {
        case Level::trace: return "trace";
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
        case Level::fatal: return "fatal";
        case Level::unknown: break;
    }
    return "";
}

int http_status(const Field& f) noexcept {
    std::string_view v = f.value;
    if (f.json && v.size() == 5 && v.front() == '"' && v.back() == '"') v = v.substr(1, 3);
    if (v.size() != 3 || v[0] < '1' || v[0] > '5' || v[1] < '0' || v[1] > '9' || v[2] < '0' || v[2] > '9') return 0;
    const std::string_view k = f.key;
    bool named = false;
    for (std::size_t i = 0; !named && i + 6 <= k.size(); ++i) {
        static constexpr std::string_view k_word = "status";
        std::size_t j = 0;
        while (j < k_word.size() && std::tolower(static_cast<unsigned char>(k[i + j])) == k_word[j]) ++j;
        named = j == k_word.size();
    }
    return named ? (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0') : 0;
}

std::string_view param_kind_name(ParamKind kind) noexcept {
    switch (kind) {
        case ParamKind::number: return "number";
        case ParamKind::hex: return "hex";
        case ParamKind::ip: return "ip";
        case ParamKind::uuid: return "uuid";
        case ParamKind::path: return "path";
        case ParamKind::url: return "url";
        case ParamKind::email: return "email";
        case ParamKind::duration: return "duration";
        case ParamKind::size: return "size";
        case ParamKind::time: return "time";
        case ParamKind::kv: return "kv";
        case ParamKind::id: return "id";
        case ParamKind::word: return "word";
        case ParamKind::user: return "user";
    }
    return "word";
}

}  // namespace logad
