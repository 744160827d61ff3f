#pragma once
// Each subcommand registers itself on the root CLI11 app and returns the function that runs it
// once the whole command line has been parsed (parse first, then run). The run function takes
// the process's streams so tests can call it on string streams.
#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>

namespace logad::cli {

using RunFn = std::function<int(std::istream& in, std::ostream& out, std::ostream& err)>;

// Exit codes shared by all subcommands.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_anomalies = 1;  // only where the user asked for it
inline constexpr int k_exit_error = 2;

RunFn register_parse(CLI::App& root);
RunFn register_templates(CLI::App& root);
RunFn register_featurize(CLI::App& root);
RunFn register_train(CLI::App& root);
RunFn register_score(CLI::App& root);
RunFn register_feedback(CLI::App& root);
RunFn register_check(CLI::App& root);
RunFn register_eval(CLI::App& root);
RunFn register_report(CLI::App& root);

}  // namespace logad::cli
