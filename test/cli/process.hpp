#pragma once
// Runs the real logad binary for end-to-end tests: arguments, standard input, captured output
// and exit status. No shell is involved, so arguments need no quoting.
#include <string>
#include <vector>

namespace logad::test {

struct ProcessResult {
    int status = -1;  // exit code, or 128 + signal
    std::string out;
    std::string err;
};

ProcessResult run_logad(const std::vector<std::string>& args, const std::string& input = {});

// A running logad whose stdin we write to and whose stdout we read with a timeout.
class LiveProcess {
public:
    explicit LiveProcess(const std::vector<std::string>& args);
    // The same, with logad's stderr written to the file `stderr_path` (read it after wait()).
    LiveProcess(const std::vector<std::string>& args, const std::string& stderr_path);
    ~LiveProcess();
    void write(const std::string& text);
    // Reads until a full line arrived or `timeout_ms` passed; returns what came ("" on timeout).
    std::string read_line(int timeout_ms);
    void close_input();
    int wait();
    void send_signal(int sig);  // e.g. SIGKILL mid-run; wait() then reports 128 + sig

private:
    int m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    std::string m_pending;
};

// Runs logad with stderr on a pseudo-terminal (as a person at a terminal sees it), stdin empty
// and stdout into the file `stdout_path`, or into a pipe when it is empty. `err` holds what the
// terminal showed (the pty turns "\n" into "\r\n"). status -1 when no pty can be had.
ProcessResult run_logad_on_terminal(const std::vector<std::string>& args, const std::string& stdout_path);

// The header format of examples/app.log.
inline const std::string k_app_log_format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";

std::string temp_path(const std::string& name);
// Writes `text` to temp_path(name) and returns that path.
std::string write_temp(const std::string& name, const std::string& text);
// The lines of examples/app.log, without their "\n".
std::vector<std::string> example_lines();
// The subcommand names `logad --help` lists.
std::vector<std::string> subcommands();
// Lines [from, from + count) of examples/app.log, each ending in "\n".
std::string example_log(std::size_t from, std::size_t count);

}  // namespace logad::test
