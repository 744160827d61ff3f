#pragma once
// The summary `logad score` adds on stderr for a person at a terminal (or with --summary):
// anomalies by granularity, the templates behind most anomalous lines, and when the anomalies
// happened, as a sparkline over event time (over line numbers when the logs carry no time).
// Memory is bounded: a fixed number of bins and at most k_max_templates templates counted.
#include "sparkline.hpp"

#include <logad/pipeline/score_record.hpp>

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <unordered_map>

namespace logad::cli {

class ScoreSummary {
public:
    static constexpr std::size_t k_max_templates = 10000;
    static constexpr std::size_t k_top = 5;

    void add(const pipeline::ScoreRecord& r);  // an anomalous record
    // How far the input reached: the latest event time (or k_no_time) and line read so far.
    void extent(std::int64_t event_ms, std::uint64_t line);
    void print(std::ostream& err, bool color) const;

private:
    struct TemplateCount {
        std::string text;
        std::uint64_t n = 0;
    };
    std::unordered_map<std::uint32_t, TemplateCount> m_templates;
    std::uint64_t m_other_template_lines = 0;  // anomalous lines past the template cap
    std::map<std::string, std::uint64_t> m_by_per;
    Sparkline m_by_time, m_by_line;
    std::uint64_t m_anomalies = 0;
    std::uint64_t m_untimed = 0;  // anomalies without an event time
};

}  // namespace logad::cli
