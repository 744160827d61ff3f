#pragma once
// What a person points at, turned into scoped verdicts for one model (feedback.hpp):
//   digits          a template id, as in a score record's "template_id": the whole template
//   {...}           one score record or incident record as `logad score` prints it (NDJSON line)
//   anything else   one raw log line, parsed with the model's format and matched to its template
// A record gives its template or key, its detector, and its measured value with the margin of
// that kind of alert; an incident gives one such verdict per scope it lists. A raw log line
// called normal gives a new_template verdict and a line-detector verdict when its template is
// new, a param_range verdict per measurement outside its range, else a verdict on the line
// detector for that template (the only one that can have flagged it; the whole template without
// a line detector). An anomaly verdict covers the whole template (or key) and keeps the reason
// it was given on. A normal verdict always names a template, a key or a column: reasons are
// never keys (VerdictBy::reason is narrowed to the record's scope, with a note saying so).
#include <logad/export.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/feedback.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logad::pipeline {

class PipelineModel;

enum class VerdictBy : std::uint8_t { scope, template_, reason };  // `--by auto|template|reason`

class LOGAD_API VerdictResolver {
public:
    // Throws UsageError when the model's format cannot be built.
    VerdictResolver(const PipelineModel& model, Verdict verdict, VerdictBy by);
    // One target (leading blanks ignored); throws UsageError when it names nothing a verdict can
    // be given on. The verdicts gathered carry scope, template, reason and examples; the caller
    // sets verdict, expiry, time and note.
    void resolve(std::string_view target);

    std::vector<VerdictEntry> verdicts;
    std::vector<std::string> notes;  // said to the person (a narrowed --by reason)

private:
    bool normal() const { return m_verdict == Verdict::normal; }
    std::string text_of(std::uint32_t id, const std::string& given) const;
    void push(VerdictEntry v);
    void add_template(std::uint32_t id, const std::string& text);
    double margin_of(const RecordScope& s) const;
    void add_record(const std::string& text);
    void add_target(VerdictTarget t);
    void add_line(const std::string& line);

    const PipelineModel& m_model;
    mine::TemplateMiner m_miner;
    std::unique_ptr<parse::LineFormat> m_format;
    Verdict m_verdict;
    VerdictBy m_by;
};

}  // namespace logad::pipeline
