#include <logad/present/progress.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <cmath>
#include <cstdlib>
#include <ostream>
#include <sys/stat.h>

namespace logad::present {
namespace {

long long regular_file_size(const std::string& path) {
    struct stat st {};
    const int rc = path == "-" ? ::fstat(0, &st) : ::stat(path.c_str(), &st);
    return rc == 0 && S_ISREG(st.st_mode) ? static_cast<long long>(st.st_size) : -1;
}

// 950, 12.3k, 4.56M: a count a person reads at a glance.
std::string short_count(double n) {
    if (n < 1e4) return fmt::format("{:.0f}", n);
    if (n < 1e6) return fmt::format("{:.1f}k", n / 1e3);
    if (n < 1e9) return fmt::format("{:.2f}M", n / 1e6);
    return fmt::format("{:.2f}G", n / 1e9);
}

std::string clock_time(double seconds) {
    const auto s = static_cast<long long>(std::llround(seconds));
    if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    return fmt::format("{}:{:02}", s / 60, s % 60);
}

constexpr auto k_redraw = std::chrono::milliseconds(200);

// Short runs draw nothing: the first line comes after LOGAD_PROGRESS_DELAY_MS (default 500).
std::chrono::milliseconds first_draw_delay() {
    const char* env = std::getenv("LOGAD_PROGRESS_DELAY_MS");
    if (!env || !*env) return std::chrono::milliseconds(500);
    char* end = nullptr;
    const long ms = std::strtol(env, &end, 10);
    return std::chrono::milliseconds(*end == '\0' && ms >= 0 ? ms : 500);
}

}  // namespace

Progress::Progress(std::string command, const std::vector<std::string>& files, std::ostream& err, bool enabled)
    : m_command(std::move(command)), m_err(err), m_enabled(enabled) {
    if (!m_enabled) return;
    m_first_draw = first_draw_delay();
    m_total = 0;
    for (const std::string& f : files) {
        const long long size = regular_file_size(f);
        if (size < 0) {
            m_total = -1;
            break;
        }
        m_total += size;
    }
}

void Progress::next_file(const io::ByteSource& source) {
    m_done_files += m_current_size;
    m_current = &source;
    m_current_size = std::max(source.size_hint(), 0LL);
}

std::string Progress::format_line(const std::string& command, std::uint64_t lines, double seconds, double fraction) {
    std::string s = fmt::format("logad {}: {} lines", command, short_count(static_cast<double>(lines)));
    if (seconds > 0) s += fmt::format(", {} lines/s", short_count(static_cast<double>(lines) / seconds));
    if (fraction >= 0) {
        s += fmt::format(", {:.0f}%", 100 * fraction);
        if (fraction > 0.01) s += fmt::format(", {} left", clock_time(seconds * (1 - fraction) / fraction));
    }
    return s;
}

void Progress::update(std::uint64_t lines) {
    if (!m_enabled) return;
    const auto now = Clock::now();
    if (now - m_start < m_first_draw || (m_drawn && now - m_last_draw < k_redraw)) return;
    double fraction = -1;
    if (m_total > 0 && m_current && m_current->position() >= 0) {
        const long long done = m_done_files + std::min(m_current->position(), m_current_size);
        fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(m_total));
    }
    draw(format_line(m_command, lines, std::chrono::duration<double>(now - m_start).count(), fraction));
}

void Progress::phase(const std::string& what) {
    if (m_enabled) draw(fmt::format("logad {}: {}", m_command, what));
}

void Progress::draw(const std::string& text) {
    fmt::print(m_err, "\r{}\x1b[K", text);  // back to column 0, write, erase what is left
    m_err.flush();
    m_drawn = true;
    m_last_draw = Clock::now();
}

void Progress::clear() {
    if (!m_drawn) return;
    m_err << "\r\x1b[K";
    m_err.flush();
    m_drawn = false;
}

}  // namespace logad::present
