#pragma once
// The summary `logad score` adds on stderr for a person at a terminal (or with --summary):
// incidents by kind and the largest of them, anomaly records by granularity, and when the
// anomalies happened, as a sparkline over event time (over line numbers when the logs carry no
// time).
// Memory is bounded: a fixed number of bins and the k_top largest incidents.
#include <logad/export.hpp>
#include <logad/present/sparkline.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace logad::present {

class LOGAD_API ScoreSummary {
public:
    static constexpr std::size_t k_top = 5;

    void add(const pipeline::ScoreRecord& r);  // an anomalous record
    void add(const pipeline::Incident& i);     // a closed incident
    // How far the input reached: the latest event time (or k_no_time) and line read so far.
    void extent(std::int64_t event_ms, std::uint64_t line);
    void print(std::ostream& err, bool color) const;

private:
    std::map<std::string, std::uint64_t> m_incidents_by_kind;
    std::uint64_t m_incidents = 0;
    std::vector<pipeline::Incident> m_largest;  // at most k_top, most records first
    std::map<std::string, std::uint64_t> m_by_per;
    Sparkline m_by_time, m_by_line;
    std::uint64_t m_anomalies = 0;
    std::uint64_t m_untimed = 0;  // anomalies without an event time
};

}  // namespace logad::present
