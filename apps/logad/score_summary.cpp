#include "score_summary.hpp"

#include "terminal.hpp"

#include <logad/record.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <vector>

namespace logad::cli {
namespace {

// 2026-11-20 09:07:42 (UTC): seconds are enough for a person.
std::string civil_time(std::int64_t ms) {
    std::string s;
    util::append_rfc3339_ms(s, ms);
    s.resize(19);
    s[10] = ' ';
    return s;
}

std::string human_duration(std::int64_t ms) {
    if (ms < 1000) return fmt::format("{} ms", ms);
    const double s = static_cast<double>(ms) / 1000;
    if (s < 60) return fmt::format("{:.3g} s", s);
    if (s < 3600) return fmt::format("{:.3g} min", s / 60);
    if (s < 86400) return fmt::format("{:.3g} h", s / 3600);
    return fmt::format("{:.3g} days", s / 86400);
}

std::string plural(std::uint64_t n, const std::string& one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); }

}  // namespace

void ScoreSummary::add(const pipeline::ScoreRecord& r) {
    ++m_anomalies;
    ++m_by_per[r.per];
    if (r.start_ms != k_no_time)
        m_by_time.add(r.start_ms);
    else
        ++m_untimed;
    if (r.first_line) m_by_line.add(static_cast<std::int64_t>(r.first_line));
    if (r.per != "line" || r.template_text.empty()) return;
    auto it = m_templates.find(r.template_id);
    if (it == m_templates.end()) {
        if (m_templates.size() >= k_max_templates) {
            ++m_other_template_lines;
            return;
        }
        it = m_templates.emplace(r.template_id, TemplateCount{r.template_text, 0}).first;
    }
    ++it->second.n;
}

void ScoreSummary::extent(std::int64_t event_ms, std::uint64_t line) {
    if (event_ms != k_no_time) m_by_time.add(event_ms, 0);
    if (line) m_by_line.add(static_cast<std::int64_t>(line), 0);
}

void ScoreSummary::print(std::ostream& err, bool color) const {
    if (m_anomalies == 0) {
        fmt::print(err, "  {}\n", paint("no anomalies", Paint::green, color));
        return;
    }
    std::string kinds;
    for (const auto& [per, n] : m_by_per) kinds += fmt::format("{}{}", kinds.empty() ? "" : ", ", plural(n, per));
    const std::string count = m_anomalies == 1 ? "1 anomaly" : fmt::format("{} anomalies", m_anomalies);
    fmt::print(err, "  {}: {}\n", paint(count, Paint::red, color), kinds);

    // Event time when every anomaly has one, line numbers otherwise.
    const bool timed = m_untimed == 0 && !m_by_time.empty();
    const Sparkline& line = timed ? m_by_time : m_by_line;
    if (!line.empty()) {
        const std::string from = timed ? civil_time(line.first()) : fmt::format("line {}", line.first());
        const std::string to = timed ? civil_time(line.last()) : fmt::format("line {}", line.last());
        const std::string bar = timed ? human_duration(line.bin_width()) : plural(line.bin_width(), "line");
        fmt::print(err, "  over time: {} {} {}{}  (1 bar = {}, at most {} in one)\n", from, paint(line.render(), Paint::yellow, color),
                   to, timed ? " UTC" : "", bar, line.peak());
    }

    std::vector<std::pair<std::uint32_t, const TemplateCount*>> top;
    for (const auto& [id, t] : m_templates) top.emplace_back(id, &t);
    const std::size_t shown = std::min(k_top, top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(shown), top.end(), [](const auto& a, const auto& b) {
        return a.second->n != b.second->n ? a.second->n > b.second->n : a.first < b.first;
    });
    if (shown == 0) return;
    fmt::print(err, "  top templates of anomalous lines (of {}):\n", plural(top.size(), "template"));
    for (std::size_t i = 0; i < shown; ++i) {
        std::string text = top[i].second->text;
        if (text.size() > 100) {
            std::size_t cut = 97;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
            text = text.substr(0, cut) + "...";
        }
        fmt::print(err, "  {:>8}  {}  {}\n", top[i].second->n, text, paint(fmt::format("(template {})", top[i].first), Paint::dim, color));
    }
    if (m_other_template_lines) fmt::print(err, "  {:>8}  lines of further templates\n", m_other_template_lines);
}

}  // namespace logad::cli
