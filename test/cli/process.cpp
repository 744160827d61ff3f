#include "process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace logad::test {
namespace {

int spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd) {
    // Pipes are close-on-exec: the child must not hold our ends open, or its stdin never ends.
    std::vector<std::string> full{LOGAD_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("cannot start " + full[0]);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

int exit_status(int pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

ProcessResult run_logad(const std::vector<std::string>& args, const std::string& input) {
    std::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) throw std::runtime_error("pipe failed");
    const int pid = spawn(args, in[0], out[1], err[1]);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    ProcessResult result;
    std::size_t written = 0;
    // Non-blocking, so a large input cannot block us while the child waits for us to read.
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    if (input.empty()) {
        ::close(in[1]);
        in[1] = -1;
    }
    // Feed stdin and drain both outputs together so no pipe fills up and blocks.
    for (;;) {
        pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
        const int n = in[1] >= 0 ? 3 : 2;
        if (fds[0].fd < 0 && fds[1].fd < 0) break;
        if (::poll(fds, n, 30000) <= 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) continue;
            char buf[65536];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got <= 0) {
                ::close(i == 0 ? out[0] : err[0]);
                (i == 0 ? out[0] : err[0]) = -1;
            } else {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
            }
        }
        if (n == 3 && fds[2].revents != 0) {
            const ssize_t put = ::write(in[1], input.data() + written, input.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            if ((put < 0 && errno != EAGAIN) || written == input.size()) {
                ::close(in[1]);
                in[1] = -1;
            }
        }
        if (out[0] < 0 && err[0] < 0) break;
    }
    if (in[1] >= 0) ::close(in[1]);
    if (out[0] >= 0) ::close(out[0]);
    if (err[0] >= 0) ::close(err[0]);
    result.status = exit_status(pid);
    return result;
}

LiveProcess::LiveProcess(const std::vector<std::string>& args) : LiveProcess(args, std::string()) {}

LiveProcess::LiveProcess(const std::vector<std::string>& args, const std::string& stderr_path) {
    std::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe failed");
    const int err = stderr_path.empty() ? 2 : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err < 0) throw std::runtime_error("cannot open " + stderr_path);
    m_pid = spawn(args, in[0], out[1], err);
    if (err != 2) ::close(err);
    ::close(in[0]);
    ::close(out[1]);
    m_in = in[1];
    m_out = out[0];
}

LiveProcess::~LiveProcess() {
    close_input();
    if (m_out >= 0) ::close(m_out);
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        exit_status(m_pid);
    }
}

void LiveProcess::write(const std::string& text) {
    if (::write(m_in, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("short write to logad");
}

std::string LiveProcess::read_line(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const auto nl = m_pending.find('\n');
        if (nl != std::string::npos) {
            std::string line = m_pending.substr(0, nl + 1);
            m_pending.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return {};
        pollfd p{m_out, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
        char buf[4096];
        const ssize_t got = ::read(m_out, buf, sizeof buf);
        if (got <= 0) return {};
        m_pending.append(buf, static_cast<std::size_t>(got));
    }
}

void LiveProcess::close_input() {
    if (m_in >= 0) ::close(m_in);
    m_in = -1;
}

void LiveProcess::send_signal(int sig) {
    if (m_pid > 0) ::kill(m_pid, sig);
}

int LiveProcess::wait() {
    close_input();
    const int status = exit_status(m_pid);
    m_pid = -1;
    return status;
}

ProcessResult run_logad_on_terminal(const std::vector<std::string>& args, const std::string& stdout_path) {
    ProcessResult result;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return result;
    const int tty = ::open(::ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_pipe[2] = {-1, -1};
    int out_fd = -1;
    if (stdout_path.empty()) {
        if (::pipe2(out_pipe, O_CLOEXEC)) throw std::runtime_error("pipe failed");
        out_fd = out_pipe[1];
    } else {
        out_fd = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (tty < 0 || null_in < 0 || out_fd < 0) throw std::runtime_error("cannot set up the terminal test");
    const int pid = spawn(args, null_in, out_fd, tty);
    ::close(tty);
    ::close(null_in);
    ::close(out_fd);
    // Drain stdout (a pipe) and the terminal together until both are closed.
    int fds_open[2] = {out_pipe[0], master};
    for (;;) {
        pollfd fds[2] = {{fds_open[0], POLLIN, 0}, {fds_open[1], POLLIN, 0}};
        if (fds_open[0] < 0 && fds_open[1] < 0) break;
        if (::poll(fds, 2, 30000) <= 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) continue;
            char buf[65536];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got <= 0) {  // a pty's master reads EIO once the child is gone
                ::close(fds_open[i]);
                fds_open[i] = -1;
            } else {
                (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
            }
        }
    }
    for (int fd : fds_open)
        if (fd >= 0) ::close(fd);
    result.status = exit_status(pid);
    return result;
}

std::string temp_path(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("logad-cli-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = temp_path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string example_log(std::size_t from, std::size_t count) {
    std::ifstream in(std::string(LOGAD_SOURCE_DIR) + "/examples/app.log");
    std::string s, line;
    for (std::size_t i = 0; i < from + count && std::getline(in, line); ++i)
        if (i >= from) s += line + "\n";
    return s;
}

std::vector<std::string> example_lines() {
    std::ifstream in(std::string(LOGAD_SOURCE_DIR) + "/examples/app.log");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

std::vector<std::string> subcommands() {
    const auto help = run_logad({"--help"}).out;
    std::vector<std::string> names;
    std::istringstream in(help.substr(help.find("Subcommands:")));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
        std::istringstream words(line);
        std::string name;
        words >> name;
        names.push_back(name);
    }
    return names;
}

}  // namespace logad::test
