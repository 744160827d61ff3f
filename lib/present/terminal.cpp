#include <logad/present/terminal.hpp>

#include <logad/error.hpp>

#include <fmt/core.h>

#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace logad::present {
namespace {

ColorMode g_color_mode = ColorMode::automatic;

}  // namespace

void set_color_mode(ColorMode mode) { g_color_mode = mode; }

ColorMode parse_color_mode(std::string_view text) {
    if (text == "auto") return ColorMode::automatic;
    if (text == "always") return ColorMode::always;
    if (text == "never") return ColorMode::never;
    throw UsageError(fmt::format("--color must be auto, always or never, not '{}'", text));
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

bool color_on(int fd) {
    if (g_color_mode != ColorMode::automatic) return g_color_mode == ColorMode::always;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;  // set and not empty, as the convention says
    const char* term = std::getenv("TERM");
    if (term && std::strcmp(term, "dumb") == 0) return false;
    return is_terminal(fd);
}

bool progress_allowed(bool writes_stdout) {
    if (!is_terminal(2)) return false;
    if (!writes_stdout) return true;
    struct stat st {};
    return !is_terminal(1) && ::fstat(1, &st) == 0 && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode);
}

std::string paint(std::string_view text, Paint p, bool on) {
    if (!on) return std::string(text);
    const char* code = "";
    switch (p) {
    case Paint::red: code = "1;31"; break;
    case Paint::green: code = "32"; break;
    case Paint::yellow: code = "33"; break;
    case Paint::bold: code = "1"; break;
    case Paint::dim: code = "2"; break;
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace logad::present
