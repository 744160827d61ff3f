#include "command_line.hpp"

#include "commands.hpp"

#include <logad/present/terminal.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace logad::cli {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost one, so `tarin` is one edit from `train`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string_view without_dashes(std::string_view s) {
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    return s;
}

std::string error_prefix(const std::string& command) {
    return (command.empty() ? "logad: " : "logad " + command + ": ") + present::paint("error:", present::Paint::red, present::color_on(2)) + " ";
}

std::vector<std::string> command_names(const CLI::App& root) {
    std::vector<std::string> names;
    for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
    return names;
}

std::string command_list(const CLI::App& root) {
    std::string list;
    for (const std::string& name : command_names(root)) list += (list.empty() ? "" : ", ") + name;
    return list;
}

// Every spelling of the options of `app` and of the root (whose options work after a command).
std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* a = &app; a != nullptr; a = a->get_parent())
        for (const CLI::Option* opt : a->get_options()) {
            for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
            for (const auto& s : opt->get_snames()) names.push_back("-" + s);
        }
    return names;
}

// "unknown option --x; did you mean --y?" for each argument CLI11 could not place.
std::string describe_unknown(const CLI::App& app, const std::vector<std::string>& extras) {
    std::string text;
    for (const std::string& arg : extras) {
        if (!text.empty()) text += "; ";
        if (arg.size() > 1 && arg.front() == '-') {
            const std::string name = arg.substr(0, arg.find('='));
            const std::string guess = nearest(name, option_names(app));
            text += fmt::format("unknown option {}{}", name, guess.empty() ? "" : fmt::format("; did you mean {}?", guess));
        } else {
            text += fmt::format("unexpected argument '{}'", arg);
        }
    }
    return text;
}

bool is_help_or_version(const CLI::ParseError& e) {
    return dynamic_cast<const CLI::CallForHelp*>(&e) || dynamic_cast<const CLI::CallForAllHelp*>(&e) ||
           dynamic_cast<const CLI::CallForVersion*>(&e);
}

}  // namespace

void one_value_per_occurrence(CLI::App& root) {
    for (CLI::App* sub : root.get_subcommands([](CLI::App*) { return true; }))
        for (CLI::Option* opt : sub->get_options())
            if (!opt->get_positional() && opt->get_items_expected_max() > 1) opt->allow_extra_args(false);
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string_view bare = without_dashes(word);
    if (bare.empty()) return {};
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, bare.size() / 3) + 1;  // a likely typo, no further
    std::vector<std::string> starting;  // candidates that `word` is the beginning of (-v: --version)
    for (const std::string& c : candidates) {
        const std::string_view bare_c = without_dashes(c);
        if (bare_c.size() > bare.size() && bare_c.substr(0, bare.size()) == bare &&
            std::find(starting.begin(), starting.end(), c) == starting.end())
            starting.push_back(c);
        const std::size_t d = edit_distance(bare, bare_c);
        if (d < best_distance && d < bare_c.size()) best = c, best_distance = d;
    }
    if (best.empty() && starting.size() == 1) best = starting.front();  // only when the beginning is unambiguous
    return best;
}

std::optional<int> check_command_word(const CLI::App& root, std::vector<std::string>& args, std::ostream& err) {
    const std::vector<std::string> commands = command_names(root);
    auto root_option = [&](const std::string& arg) -> const CLI::Option* {
        const std::string name = arg.substr(0, arg.find('='));
        for (const CLI::Option* opt : root.get_options())
            if (opt->check_name(name)) return opt;
        return nullptr;
    };
    std::size_t at = 0;
    std::string unknown_option;
    bool asks_help = false;
    for (; at < args.size(); ++at) {
        const std::string& arg = args[at];
        if (arg.size() < 2 || arg.front() != '-') break;  // the command word (or "-", stdin: not a command)
        const CLI::Option* opt = root_option(arg);
        if (opt == nullptr) {
            if (unknown_option.empty()) unknown_option = arg.substr(0, arg.find('='));
            continue;
        }
        const bool flag = opt->get_expected_max() == 0;
        asks_help = asks_help || flag;  // --help, --version
        if (!flag && arg.find('=') == std::string::npos && at + 1 < args.size()) ++at;  // --color never
    }
    const std::string hint = fmt::format("commands: {}; run `logad --help` for an overview", command_list(root));
    if (at == args.size()) {
        if (asks_help && unknown_option.empty()) return std::nullopt;  // CLI11 prints it
        if (!unknown_option.empty()) {
            std::vector<std::string> names;
            for (const CLI::Option* opt : root.get_options())
                for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
            const std::string guess = nearest(unknown_option, names);
            fmt::print(err, "{}unknown option {}{} (and no command given)\n{}\n", error_prefix(""), unknown_option,
                       guess.empty() ? "" : fmt::format("; did you mean {}?", guess), hint);
        } else {
            fmt::print(err, "{}no command given\n{}\n", error_prefix(""), hint);
        }
        return k_exit_error;
    }
    const std::string word = args[at];
    if (word == "help") {
        if (at + 1 == args.size() || args[at + 1] == "help") {
            args = {"--help"};
            return std::nullopt;
        }
        const std::string topic = args[at + 1];
        if (std::find(commands.begin(), commands.end(), topic) != commands.end()) {
            args = {topic, "--help"};
            return std::nullopt;
        }
        const std::string guess = nearest(topic, commands);
        fmt::print(err, "{}no command '{}' to help with{}\n{}\n", error_prefix(""), topic,
                   guess.empty() ? "" : fmt::format("; did you mean {}?", guess), hint);
        return k_exit_error;
    }
    if (std::find(commands.begin(), commands.end(), word) != commands.end()) return std::nullopt;
    std::vector<std::string> words = commands;
    words.push_back("help");
    const std::string guess = nearest(word, words);
    fmt::print(err, "{}unknown command '{}'{}\n{}\n", error_prefix(""), word,
               guess.empty() ? "" : fmt::format("; did you mean {}?", guess), hint);
    return k_exit_error;
}

int report_parse_error(CLI::App& root, const CLI::ParseError& error, std::ostream& out, std::ostream& err) {
    if (is_help_or_version(error)) {
        const int rc = root.exit(error, out, err);
        return rc == 0 ? k_exit_ok : k_exit_error;
    }
    CLI::App* command = nullptr;
    for (CLI::App* sub : root.get_subcommands([](CLI::App*) { return true; }))
        if (sub->parsed()) command = sub;
    const std::string name = command ? command->get_name() : "";
    // Unknown options first: they usually explain the rest (a misspelt --model leaves -m missing).
    const std::vector<std::string> extras = root.remaining(true);
    const std::string what = extras.empty() ? std::string(error.what()) : describe_unknown(command ? *command : root, extras);
    fmt::print(err, "{}{}\nrun `logad {}--help` for the options{}\n", error_prefix(name), what,
               name.empty() ? "" : name + " ", name.empty() ? " and commands" : "");
    return k_exit_error;
}

}  // namespace logad::cli
