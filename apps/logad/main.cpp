// logad: parse the whole command line, run one subcommand, map every failure to exit code 2
// with `logad <cmd>: error: <message>` on stderr. A closed output pipe is a quiet success.
#include "command_line.hpp"
#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/present/terminal.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/stop.hpp>
#include <logad/version.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

namespace {

void on_stop_signal(int) { logad::util::request_stop(); }

// Other commands die of SIGINT/SIGTERM as before, but first remove the temporary files of a
// write in progress (a model half written beside the real one), so nothing is left behind.
void on_fatal_signal(int sig) {
    logad::util::remove_temp_files();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void remove_temp_files_on_signals() {
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
}

// Streaming commands end on SIGINT/SIGTERM as at end of input: they flush open windows and
// sessions, save the miner state and print their summary. A second signal kills (SA_RESETHAND).
// Other commands keep the default, so an interrupted `train` writes no model from partial input.
void stop_cleanly_on_signals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESETHAND;  // no SA_RESTART: a blocked read returns EINTR
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// A pipe on stdout gets a 1 MiB buffer (the Linux limit for users by default) instead of 64 KiB:
// `logad parse | logad featurize` then switches between writer and reader once per 1 MiB, not
// once per 64 KiB write. Best effort: nothing changes where the call is refused.
void widen_stdout_pipe() noexcept {
#ifdef F_SETPIPE_SZ
    struct stat st {};
    if (fstat(1, &st) == 0 && S_ISFIFO(st.st_mode)) (void)fcntl(1, F_SETPIPE_SZ, 1 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes EPIPE, turned into BrokenPipe
    widen_stdout_pipe();

    CLI::App app{"logad learns what a system's logs normally look like and flags what deviates.\n\n"
                 "Pipeline:  logad parse app.log | logad featurize | logad train -o model.json\n"
                 "Example:   logad parse --format '<Date> <Time> <Level> <Component>: <Content>' app.log",
                 "logad"};
    app.set_version_flag("--version", std::string("logad ") + logad::k_version);
    app.require_subcommand(1);  // check_command_word() answers a missing or unknown one first
    std::string color = "auto";
    app.add_option("--color", color, "colour on a terminal: auto (unless NO_COLOR is set), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    app.fallthrough();  // `logad score --color never` as well as `logad --color never score`
    app.footer("Run `logad help <command>` (or `logad <command> --help`) for the options of a command. Exit codes: 0 ok, "
               "1 anomalies found (where asked), 2 error.");

    using logad::cli::RunFn;
    std::vector<std::pair<CLI::App*, RunFn>> commands;
    auto add = [&](RunFn (*reg)(CLI::App&)) {
        const std::size_t before = app.get_subcommands({}).size();
        RunFn fn = reg(app);
        commands.emplace_back(app.get_subcommands({}).at(before), std::move(fn));
    };
    add(logad::cli::register_parse);
    add(logad::cli::register_templates);
    add(logad::cli::register_featurize);
    add(logad::cli::register_train);
    add(logad::cli::register_score);
    add(logad::cli::register_feedback);
    add(logad::cli::register_check);
    add(logad::cli::register_eval);
    add(logad::cli::register_report);
    logad::cli::one_value_per_occurrence(app);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (const auto rc = logad::cli::check_command_word(app, args, std::cerr)) return *rc;
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return logad::cli::report_parse_error(app, e, std::cout, std::cerr);  // 0 for --help, 2 otherwise
    }

    logad::present::set_color_mode(logad::present::parse_color_mode(color));
    for (auto& [sub, run] : commands) {
        if (!sub->parsed()) continue;
        const std::string prefix = "logad " + sub->get_name() + ": " +
                                   logad::present::paint("error:", logad::present::Paint::red, logad::present::color_on(2)) + " ";
        if (sub->get_name() == "parse" || sub->get_name() == "score" || sub->get_name() == "featurize")
            stop_cleanly_on_signals();
        else
            remove_temp_files_on_signals();
        try {
            return run(std::cin, std::cout, std::cerr);
        } catch (const logad::BrokenPipe&) {
            return logad::cli::k_exit_ok;
        } catch (const logad::Error& e) {
            std::cerr << prefix << e.what() << '\n';
        } catch (const std::bad_alloc&) {
            std::cerr << prefix << "out of memory\n";
        } catch (const std::exception& e) {
            std::cerr << prefix << "internal error: " << e.what() << " (please report it)\n";
        }
        return logad::cli::k_exit_error;
    }
    return logad::cli::k_exit_error;
}
