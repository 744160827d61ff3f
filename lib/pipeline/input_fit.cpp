#include <logad/pipeline/input_fit.hpp>

#include <logad/util/json_integer.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <nlohmann/json.hpp>

namespace logad::pipeline {
namespace {

constexpr std::uint64_t k_min_lines = 20;  // fewer: too little to judge
// Without training figures (older models): a log can be mostly stack traces, so only a share
// of unmatched lines this high, or records this long, is taken as a wrong format.
constexpr double k_default_unmatched = 0.3;
constexpr std::uint64_t k_default_record_lines = 50;

double share(std::uint64_t part, std::uint64_t whole) { return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0; }

int whole_percent(double s) { return static_cast<int>(std::lround(100 * s)); }

}  // namespace

void FitProfile::merge(const FitProfile& o) {
    lines += o.lines;
    unmatched += o.unmatched;
    records += o.records;
    unseen += o.unseen;
    timed += o.timed;
    leveled += o.leveled;
    max_record_lines = std::max(max_record_lines, o.max_record_lines);
    measured = measured && o.measured;
}

nlohmann::json FitProfile::to_json() const {
    return {{"lines", lines}, {"unmatched", unmatched}, {"records", records}, {"max_record_lines", max_record_lines},
            {"unseen", unseen}, {"timed", timed}, {"leveled", leveled}};
}

FitProfile FitProfile::from_json(const nlohmann::json& j) {
    FitProfile p;
    p.lines = util::json_integer<std::uint64_t>(j.at("lines"));
    p.unmatched = util::json_integer<std::uint64_t>(j.at("unmatched"));
    p.records = util::json_integer<std::uint64_t>(j.at("records"));
    p.max_record_lines = util::json_integer<std::uint64_t>(j.at("max_record_lines"));
    p.unseen = util::json_integer<std::uint64_t>(j.at("unseen"));
    p.timed = util::json_integer<std::uint64_t>(j.at("timed"));
    p.leveled = util::json_integer<std::uint64_t>(j.at("leveled"));
    p.measured = true;
    return p;
}

std::string misfit(const FitProfile& training, const FitProfile& input, const std::string& format) {
    if (input.lines < k_min_lines) return {};
    // Half the lines or more unmatched, and well above training's share (stack traces are
    // continuation lines too, so a log full of them in training may show many).
    const double unmatched = share(input.unmatched, input.lines);
    const double trained_unmatched = training.measured ? share(training.unmatched, training.lines) : k_default_unmatched;
    if (unmatched >= 0.5 && unmatched >= 2 * trained_unmatched + 0.2)
        return fmt::format("{}% of lines do not match the model's format ({}; {}% in training)", whole_percent(unmatched),
                           format, whole_percent(trained_unmatched));
    const std::uint64_t trained_longest = training.measured ? training.max_record_lines : k_default_record_lines;
    if (input.max_record_lines >= 100 && input.max_record_lines >= 10 * std::max<std::uint64_t>(trained_longest, 10))
        return fmt::format("a record of {} lines was assembled (the longest in training had {}): the model's format "
                           "({}) matches few of these lines",
                           input.max_record_lines, trained_longest, format);
    // Templates: a record with a template training never saw, against how often training met one.
    // The same log can show many new templates (the second half of Loghub's BGL sample, 70%,
    // after training on the first), while another log shows nearly all new (87% or more for
    // every pair of Loghub's 2k samples, most 100%).
    const double unseen = share(input.unseen, input.records);
    const double trained_unseen = share(training.unseen, training.records);
    if (input.records >= k_min_lines && unseen >= 0.8 && unseen >= 3 * trained_unseen)
        return fmt::format("{}% of records have templates the model never saw ({}% of training records started a "
                           "template)",
                           whole_percent(unseen), whole_percent(trained_unseen));
    // Times and levels: nearly every training record had one, nearly no record here has.
    if (training.measured && input.records >= k_min_lines) {
        for (const auto& [what, trained, seen] : {std::tuple{"a time", training.timed, input.timed},
                                                  std::tuple{"a level", training.leveled, input.leveled}}) {
            const double before = share(trained, training.records), now = share(seen, input.records);
            if (before >= 0.9 && now <= 0.1)
                return fmt::format("{}% of records have {} ({}% in training; format {})", whole_percent(now), what,
                                   whole_percent(before), format);
        }
    }
    return {};
}

void RecordMeter::push(Record& r) {
    ++m_counts.records;
    m_counts.max_record_lines = std::max<std::uint64_t>(m_counts.max_record_lines, r.line_count);
    m_counts.timed += r.has_time();
    m_counts.leveled += r.level != Level::unknown;
    m_next.push(r);
}

}  // namespace logad::pipeline
