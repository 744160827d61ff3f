#pragma once
// What only a person at a terminal sees: colour, progress lines and the score summary are for
// terminals, never for pipes or files. Colour follows the process's colour mode (the front end
// sets it from --color: auto, always, never) and, in auto mode, NO_COLOR (https://no-color.org)
// and TERM=dumb. An embedding program that never sets it gets auto.
#include <logad/export.hpp>

#include <string>
#include <string_view>

namespace logad::present {

enum class ColorMode { automatic, always, never };

// Set once from the command line, before a subcommand runs.
LOGAD_API void set_color_mode(ColorMode mode);
LOGAD_API ColorMode parse_color_mode(std::string_view text);  // "auto" | "always" | "never"; throws UsageError

LOGAD_API bool is_terminal(int fd);
// Whether text written to `fd` (1 or 2) may carry colour.
LOGAD_API bool color_on(int fd);

// Whether a progress line may be drawn on stderr: it is a terminal and, for a command that
// writes results to stdout, stdout goes to a file (not to the terminal, nor into a pipe whose
// reader would print between the redraws).
LOGAD_API bool progress_allowed(bool writes_stdout);

enum class Paint { red, green, yellow, bold, dim };
// `text` wrapped in its SGR escape when `on`, unchanged otherwise.
LOGAD_API std::string paint(std::string_view text, Paint p, bool on);

}  // namespace logad::present
