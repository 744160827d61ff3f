// `logad check`'s judgement (check.hpp).
#include <logad/pipeline/check.hpp>

#include <logad/pipeline/signal_kind.hpp>

#include <logad/pipeline/pipeline_model.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace logad::pipeline {
namespace {

enum class CheckKind : std::uint8_t { fresh, surging, other };

// Which check a record belongs to: by the signal that wrote it.
CheckKind check_kind_of(const ScoreRecord& r) {
    const std::optional<SignalKind> signal = signal_of_detector(r.detector);
    if (signal == SignalKind::new_template) return CheckKind::fresh;
    if (signal == SignalKind::burst) return CheckKind::surging;
    return CheckKind::other;
}

// Log text on one report line: the first line of it, at most 200 bytes.
std::string one_report_line(const std::string& s) {
    constexpr std::size_t k_max = 200;
    const std::size_t end = std::min(s.find('\n'), k_max);
    return end >= s.size() ? s : s.substr(0, end) + " ...";
}

std::string plural(std::uint64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

double over_threshold(const ScoreRecord& r) { return r.threshold > 0 ? r.score / r.threshold : r.score; }

std::string lines_of(const ScoreRecord& r) {
    return r.first_line == r.last_line ? fmt::format("line {}", r.first_line) : fmt::format("lines {}-{}", r.first_line, r.last_line);
}

std::string describe_template(std::uint32_t id, const TemplateFinding& t) {
    return t.text.empty() ? fmt::format("template {}", id) : fmt::format("template {} `{}`", id, one_report_line(t.text));
}

std::string template_details(const std::map<std::uint32_t, TemplateFinding>& found, const char* one, const char* many) {
    std::string s;
    for (const auto& [id, t] : found)
        s += fmt::format("  {}: {}, first at line {}: {}\n", describe_template(id, t), plural(t.records, one, many), t.first_line,
                         one_report_line(t.example));
    return s;
}

std::string other_details(const CheckFindings& f, std::size_t top) {
    std::vector<const ScoreRecord*> sorted;
    for (const auto& r : f.others) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return over_threshold(*a) > over_threshold(*b); });
    if (sorted.size() > top) sorted.resize(top);
    std::string s;
    for (const auto* r : sorted) {
        s += fmt::format("  {} ({} {}): score {:.4g} over threshold {:.4g}\n", lines_of(*r), r->per, r->detector, r->score,
                         r->threshold);
        if (!r->message.empty()) s += fmt::format("    message: {}\n", one_report_line(r->message));
        for (const auto& reason : r->reasons) s += fmt::format("    - {}\n", one_report_line(reason));
    }
    if (f.other_records > sorted.size()) s += fmt::format("  ... and {} more\n", f.other_records - sorted.size());
    return s;
}

bool by_records(const CheckSettings& s) { return s.max_incidents < 0 && s.max_anomalies >= 0; }

std::string tolerated(const CheckSettings& s) {
    return by_records(s) ? plural(static_cast<std::uint64_t>(s.max_anomalies), "anomaly", "anomalies")
                         : plural(static_cast<std::uint64_t>(std::max<std::int64_t>(s.max_incidents, 0)), "incident", "incidents");
}

std::string seconds(std::int64_t ms) { return fmt::format("{:g} s", static_cast<double>(ms) / 1000.0); }

}  // namespace

CheckCollector::CheckCollector(CheckFindings& findings, std::set<std::uint32_t> ignore)
    : m_f(findings), m_ignore(std::move(ignore)), m_count(findings.incidents), m_tracker({}, m_count) {}

void CheckCollector::push(ScoreRecord& r) {
    if (!r.anomaly) return;
    if (r.template_id != 0 && m_ignore.count(r.template_id)) {
        ++m_f.ignored;
        return;
    }
    m_tracker.push(r);
    const CheckKind kind = check_kind_of(r);
    if (kind == CheckKind::other) {
        ++m_f.other_records;
        if (m_f.others.size() < CheckFindings::k_keep) m_f.others.push_back(r);
        return;
    }
    const bool fresh = kind == CheckKind::fresh;
    auto& t = (fresh ? m_f.fresh : m_f.surging)[r.template_id];
    ++(fresh ? m_f.fresh_records : m_f.surging_records);
    if (t.records++ == 0) {
        t.text = r.template_text;
        t.first_line = r.first_line;
        t.example = fresh && !r.message.empty() ? r.message : r.reasons.empty() ? "" : r.reasons.front();
    }
}

bool check_fails(const CheckFindings& f, const CheckSettings& s) {
    if (by_records(s)) return f.total() > static_cast<std::uint64_t>(s.max_anomalies);
    if (s.max_anomalies >= 0 && f.total() > static_cast<std::uint64_t>(s.max_anomalies)) return true;
    return f.incidents > static_cast<std::uint64_t>(std::max<std::int64_t>(s.max_incidents, 0));
}

int CheckVerdict::failures() const {
    return static_cast<int>(std::count_if(cases.begin(), cases.end(), [](const CheckCase& c) { return c.failed; }));
}

CheckVerdict judge_check(const CheckFindings& f, const CheckSettings& s) {
    CheckVerdict v;
    v.failed = check_fails(f, s);
    const std::string fresh = template_details(f.fresh, "line", "lines");
    const std::string surging = template_details(f.surging, "window", "windows");
    const std::string others = other_details(f, s.top);
    v.text = fmt::format("logad check: {}: {} from {} ({} tolerated)\n", v.failed ? "FAIL" : "PASS",
                         plural(f.incidents, "incident", "incidents"), plural(f.total(), "anomaly record", "anomaly records"),
                         tolerated(s));
    if (!f.fresh.empty()) v.text += fmt::format("New templates ({}):\n{}", f.fresh.size(), fresh);
    if (!f.surging.empty()) v.text += fmt::format("Surging templates ({}):\n{}", f.surging.size(), surging);
    if (f.other_records > 0)
        v.text += fmt::format("Top anomalies ({} of {}):\n{}", std::min<std::uint64_t>(s.top, f.other_records), f.other_records, others);
    if (f.ignored) v.text += fmt::format("Not counted: {} of --ignore'd templates\n", plural(f.ignored, "record", "records"));

    v.cases.push_back({"new templates", f.fresh.size(),
                       fmt::format("{} the baseline never produced", plural(f.fresh.size(), "template", "templates")), fresh});
    v.cases.push_back({"surging templates", f.surging.size(),
                       fmt::format("{} far more frequent than in the baseline", plural(f.surging.size(), "template", "templates")),
                       surging});
    v.cases.push_back({"other anomalies", f.other_records,
                       fmt::format("{} ({} tolerated in all)", plural(f.other_records, "anomaly", "anomalies"), tolerated(s)), others});
    for (CheckCase& c : v.cases) c.failed = v.failed && c.found > 0;
    return v;
}

std::string window_coverage_warning(const PipelineModel& m, std::int64_t first_ms, std::int64_t last_ms) {
    std::int64_t smallest = 0;
    for (const auto& part : m.parts)
        if (part.per == featurize::Granularity::window) smallest = m.train.window_ms;
    if (m.baseline.windows > 0 && m.baseline.window_ms > 0)
        smallest = smallest == 0 ? m.baseline.window_ms : std::min(smallest, m.baseline.window_ms);
    if (smallest == 0 || first_ms == k_no_time) return {};
    const std::int64_t span = last_ms - first_ms;
    if (span >= smallest) return {};
    return fmt::format("the run spans {} of log time, shorter than the model's smallest window ({}): window checks (counts, "
                       "bursts, silences) saw no whole window; only its lines were checked",
                       seconds(span), seconds(smallest));
}

}  // namespace logad::pipeline
