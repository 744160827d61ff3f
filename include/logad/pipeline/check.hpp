#pragma once
// `logad check`'s judgement: the anomaly records of a run sorted into three checks
//   new templates      signal:new_template   messages the baseline never produced
//   surging templates  signal:burst          templates far more frequent than in the baseline
//   other anomalies    everything else (detectors, silence, level shifts, parameters...)
// The records left after the ignored templates roll up into incidents (incidents.hpp), and the
// run fails when more than max_incidents remain (or, given alone, more than max_anomalies
// records); then every check that found something fails too, so a CI report points at the kind
// of change. Records of an ignored template do not count.
// The report is plain text for people; each check's details go into the JUnit report too.
#include <logad/export.hpp>
#include <logad/pipeline/incidents.hpp>
#include <logad/pipeline/score_record.hpp>
#include <logad/stage.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace logad::pipeline {

class PipelineModel;

struct CheckSettings {
    // Tolerances, -1 = not given. The run fails on more incidents than max_incidents (0 when
    // neither is given); max_anomalies alone keeps its older meaning: anomaly records.
    std::int64_t max_incidents = -1;
    std::int64_t max_anomalies = -1;
    std::set<std::uint32_t> ignore;  // template ids whose records do not count
    std::size_t top = 10;            // other anomalies listed in the report
};

struct TemplateFinding {
    std::string text;
    std::uint64_t records = 0;
    std::uint64_t first_line = 0;
    std::string example;  // a message, or the first reason
};

struct CheckFindings {
    static constexpr std::size_t k_keep = 10000;  // other anomalies kept for the top list; the rest are counted
    std::map<std::uint32_t, TemplateFinding> fresh, surging;
    std::vector<ScoreRecord> others;
    std::uint64_t fresh_records = 0, surging_records = 0, other_records = 0, ignored = 0;
    std::uint64_t incidents = 0;
    std::uint64_t total() const { return fresh_records + surging_records + other_records; }
};

// Takes every score record of the run (normal ones are passed over) and fills `findings`;
// incidents are counted as they open.
class LOGAD_API CheckCollector final : public Sink<ScoreRecord> {
public:
    CheckCollector(CheckFindings& findings, std::set<std::uint32_t> ignore);
    void push(ScoreRecord& r) override;

private:
    class IncidentCount final : public Sink<Incident> {
    public:
        explicit IncidentCount(std::uint64_t& n) : m_n(n) {}
        void push(Incident& i) override { m_n += i.state == Incident::State::open; }

    private:
        std::uint64_t& m_n;
    };
    CheckFindings& m_f;
    std::set<std::uint32_t> m_ignore;
    IncidentCount m_count;
    IncidentTracker m_tracker;
};

// One of the three checks, for a report that lists them (JUnit: one test case each).
struct CheckCase {
    std::string name;         // "new templates", "surging templates", "other anomalies"
    std::uint64_t found = 0;  // templates, templates, records
    std::string what;         // one line: what was found
    std::string details;      // the finding's lines, each indented by two spaces
    bool failed = false;      // the run failed and this check found something
};

struct LOGAD_API CheckVerdict {
    bool failed = false;
    std::string text;  // the report for people, starting "logad check: PASS|FAIL: ..."
    std::vector<CheckCase> cases;
    int failures() const;
};

bool check_fails(const CheckFindings& f, const CheckSettings& s);
LOGAD_API CheckVerdict judge_check(const CheckFindings& f, const CheckSettings& s);

// A warning when the run (first_ms..last_ms of log time) is shorter than the model's smallest
// window: window checks (counts, bursts, silences) then saw no whole window. Empty otherwise.
LOGAD_API std::string window_coverage_warning(const PipelineModel& m, std::int64_t first_ms, std::int64_t last_ms);

}  // namespace logad::pipeline
