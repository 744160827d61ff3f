#pragma once
// What `logad feedback` says of verdicts: each verdict as it is given, notes from resolving its
// targets, waiting for another logad that holds the model file, and `--list`: one JSON object a
// line, the stored fields with the verdict's scope in words and its status (active, never used,
// expired, absorbed, retired).
#include <logad/export.hpp>
#include <logad/analyze/model_verdicts.hpp>
#include <logad/pipeline/feedback.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>

namespace logad::present {

// Says on `err` (unless quiet) that another logad holds the model: `logad CMD: waiting for ...`.
LOGAD_API analyze::LockWait say_waiting(const char* command, bool quiet, std::ostream& err);

// Prints on `err` what `logad feedback` does as the verdicts are given (nothing when quiet).
class LOGAD_API VerdictPrinter final : public analyze::VerdictChangeObserver {
public:
    // `until`: when the verdicts lapse (k_no_time: never).
    VerdictPrinter(bool quiet, std::int64_t until, std::ostream& err) : m_quiet(quiet), m_until(until), m_err(err) {}
    void waiting(const std::string& path) override;
    void note(const std::string& text) override;
    void added(std::uint64_t id, pipeline::Verdict verdict, const std::string& scope) override;

private:
    bool m_quiet;
    std::int64_t m_until;
    std::ostream& m_err;
};

// The verdicts `feedback` holds, one JSON object a line, their status as of `now_ms`.
LOGAD_API void print_verdicts(const pipeline::Feedback& feedback, std::int64_t now_ms, std::ostream& out);

}  // namespace logad::present
