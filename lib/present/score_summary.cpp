#include <logad/present/score_summary.hpp>

#include <logad/present/terminal.hpp>

#include <logad/record.hpp>
#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <vector>

namespace logad::present {
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
}

void ScoreSummary::add(const pipeline::Incident& i) {
    ++m_incidents;
    ++m_incidents_by_kind[i.kind];
    const auto larger = [](const pipeline::Incident& a, const pipeline::Incident& b) {
        return a.records != b.records ? a.records > b.records : a.id < b.id;
    };
    if (m_largest.size() == k_top && !larger(i, m_largest.back())) return;
    m_largest.insert(std::upper_bound(m_largest.begin(), m_largest.end(), i, larger), i);
    if (m_largest.size() > k_top) m_largest.pop_back();
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
    for (const auto& [kind, n] : m_incidents_by_kind) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", n, kind);
    std::string pers;
    for (const auto& [per, n] : m_by_per) pers += fmt::format("{}{}", pers.empty() ? "" : ", ", plural(n, per));
    const std::string count = plural(m_incidents, "incident");
    fmt::print(err, "  {}{}, from {} anomaly records: {}\n", paint(count, Paint::red, color), kinds.empty() ? "" : " (" + kinds + ")",
               m_anomalies, pers);

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

    if (m_largest.empty()) return;
    fmt::print(err, "  largest incidents:\n");
    for (const pipeline::Incident& i : m_largest) {
        std::string what = !i.template_text.empty() ? i.template_text
                           : !i.key.empty()         ? "key " + i.key
                           : !i.reasons.empty()     ? i.reasons.front()
                                                    : "";
        if (what.size() > 100) {
            std::size_t cut = 97;
            while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
            what = what.substr(0, cut) + "...";
        }
        const std::string span = i.start_ms != k_no_time && i.end_ms != k_no_time
                                     ? civil_time(i.start_ms) + " to " + civil_time(i.end_ms).substr(11)
                                     : fmt::format("lines {}-{}", i.first_line, i.last_line);
        fmt::print(err, "  {:>8}  {}  {}  {}\n", plural(i.records, "record"), paint(i.kind, Paint::yellow, color), what,
                   paint(fmt::format("({}, incident {})", span, i.id), Paint::dim, color));
    }
}

}  // namespace logad::present
