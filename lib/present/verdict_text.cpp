#include <logad/present/verdict_text.hpp>

#include <logad/util/civil_time.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

namespace logad::present {
namespace {

// One verdict as `--list` prints it: the stored fields, its scope in words and its status.
std::string listed(const pipeline::VerdictEntry& v, const nlohmann::json& stored, std::int64_t now) {
    nlohmann::json j = stored;
    j["scope"] = v.scope_text();
    const char* status = v.state == pipeline::VerdictState::absorbed ? "absorbed"
                         : v.state == pipeline::VerdictState::retired ? "retired"
                         : v.expired(now)                             ? "expired"
                         : v.silenced == 0                            ? "never used"
                                                                      : "active";
    j["status"] = status;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

analyze::LockWait say_waiting(const char* cmd, bool quiet, std::ostream& err) {
    return [cmd, quiet, &err](const std::string& path) {
        if (!quiet) fmt::print(err, "logad {}: waiting for another logad to finish changing {}\n", cmd, path);
    };
}

void VerdictPrinter::waiting(const std::string& path) { say_waiting("feedback", m_quiet, m_err)(path); }

void VerdictPrinter::note(const std::string& text) {
    if (!m_quiet) fmt::print(m_err, "logad feedback: {}\n", text);
}

void VerdictPrinter::added(std::uint64_t id, pipeline::Verdict verdict, const std::string& scope) {
    if (!m_quiet)
        fmt::print(m_err, "logad feedback: {} {}: {}{}\n", verdict == pipeline::Verdict::normal ? "normal " : "anomaly", id,
                   scope, m_until == k_no_time ? "" : " until " + util::rfc3339_ms(m_until));
}

void print_verdicts(const pipeline::Feedback& feedback, std::int64_t now, std::ostream& out) {
    const nlohmann::json held = feedback.to_json();
    for (std::size_t i = 0; i < feedback.verdicts.size(); ++i)
        fmt::print(out, "{}\n", listed(feedback.verdicts[i], held.at("verdicts").at(i), now));
}

}  // namespace logad::present
