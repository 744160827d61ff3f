#pragma once
// What happens to the command line around CLI11's parse, so that every mistake gets an answer
// that names it: `logad help [CMD]`, an unknown or missing command, unknown options with the
// nearest known one, and the `logad <cmd>: error:` prefix on every parse error.
#include <CLI/CLI.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace logad::cli {

// Options that take a list (--per, --param, --mask, --ignore, --events...) take one value per
// occurrence: `--per line app.log` leaves app.log to the files. Applied to every subcommand, so
// an option added later gets it too.
void one_value_per_occurrence(CLI::App& root);

// Looks at the command word before CLI11 does: `help` and `help CMD` become `--help` and
// `CMD --help` in `args` (in order, without the program name); an unknown command, or none, is
// answered on `err` and its exit code returned.
std::optional<int> check_command_word(const CLI::App& root, std::vector<std::string>& args, std::ostream& err);

// Prints a CLI11 parse error as `logad <cmd>: error: ...` and returns the exit code. Unknown
// options are named first, each with the nearest known option when one is close.
int report_parse_error(CLI::App& root, const CLI::ParseError& error, std::ostream& out, std::ostream& err);

// The candidate closest to `word` by edit distance (an adjacent swap counts as one edit), or a
// candidate `word` is the start of; empty when none is close enough to be a likely typo.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace logad::cli
