#pragma once
// Does an input fit a model? A model run on a log of another kind says little of value: with an
// explicit --format every line fails to match and folds into one huge record; in auto mode every
// record gets a template training never saw and every row is "anomalous". Both are visible in
// figures gathered while reading, compared with the same figures measured on the training input:
//   - the share of non-blank lines the model's format did not match (continuation or unparsed),
//   - the longest record in physical lines,
//   - the shares of records with a time and with a level (a format that matches a foreign line
//     by chance puts other text where the time or the level goes),
//   - the share of records whose template training never saw, against the share of training
//     records that started a template (the rate at which training itself met new templates).
// The training figures are kept in the model ("fit"); older models without them are judged
// against conservative defaults.
#include <logad/export.hpp>
#include <logad/record.hpp>
#include <logad/stage.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace logad::pipeline {

struct FitProfile {
    std::uint64_t lines = 0;      // non-blank physical lines read
    std::uint64_t unmatched = 0;  // lines the format did not match (continuations and unparsed)
    std::uint64_t records = 0;
    std::uint64_t max_record_lines = 0;  // physical lines of the longest record
    std::uint64_t unseen = 0;     // records whose template was new (training: records that created one)
    std::uint64_t timed = 0;      // records with a time
    std::uint64_t leveled = 0;    // records with a known level
    bool measured = false;        // false: a model from before these figures were kept

    void merge(const FitProfile& other);  // both inputs together (train --update)
    nlohmann::json to_json() const;
    static FitProfile from_json(const nlohmann::json& j);  // throws nlohmann::json::exception
};

// What makes an input not fit, in words for a person ("92% of lines do not match the model's
// format (<Date> <Time> <Content>)"), or "" when it fits. `format` names the model's format.
// Inputs of fewer than 20 lines are too small to judge and always fit.
LOGAD_API std::string misfit(const FitProfile& training, const FitProfile& input, const std::string& format);

// Stage: passes records on unchanged and counts them, their length in lines, their times and
// levels (the `records`, `max_record_lines`, `timed` and `leveled` of a FitProfile).
class RecordMeter final : public Sink<Record> {
public:
    explicit RecordMeter(Sink<Record>& next) : m_next(next) {}
    void push(Record& r) override;
    void finish() override { m_next.finish(); }
    const FitProfile& counts() const noexcept { return m_counts; }

private:
    Sink<Record>& m_next;
    FitProfile m_counts;
};

}  // namespace logad::pipeline
