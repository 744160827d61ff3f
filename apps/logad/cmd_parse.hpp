#pragma once
#include "receivers.hpp"

#include <logad/analyze/threaded_parse.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/parse/line_format.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace logad::cli {

struct ParseOptions {
    std::vector<std::string> files;  // empty or "-" = stdin
    parse::FormatOptions format;
    bool multiline = true;
    std::vector<std::string> masks;  // NAME=RE2
    std::string state_path;          // --state: load if present, save atomically at exit
    std::size_t max_line = std::size_t(1) << 20;
    bool quiet = false;
    // --threads: workers for regular files and archives (0 = the cores this process may use,
    // 1 = the line-by-line path); pipes, terminals and receivers are always read line by line.
    // Every core by default: on 2 cores the output comes 1.6-1.7x as fast (docs/performance.md).
    int threads = 0;
    std::size_t block_lines = analyze::ThreadedParseOptions{}.block_lines;  // tests make it small
    ReceiverFlags receive;  // `parse` only: syslog and OTLP receivers as input
};

int run_parse(const ParseOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// Shared with other subcommands that accept parse options.
void add_parse_options(CLI::App& cmd, ParseOptions& options);
mine::MinerOptions miner_options(const ParseOptions& options);  // throws UsageError

}  // namespace logad::cli
