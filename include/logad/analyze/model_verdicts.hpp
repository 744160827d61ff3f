#pragma once
// Verdicts kept in a model file (pipeline/feedback.hpp), changed as `logad feedback` and
// `logad train --update` change them. Every read-modify-write of a model file holds its lock
// (util/file_lock.hpp), so concurrent verdicts, and a verdict given while an update runs, are
// all kept; a waiter gives up after a minute.
#include <logad/export.hpp>
#include <logad/analyze/train.hpp>  // UpdateResult
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/verdict_resolver.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace logad::analyze {

// Called once when a model file's lock is held by another logad, before waiting for it.
using LockWait = std::function<void(const std::string& path)>;

// The model document at `path`; throws UsageError for a model trained on a numeric table.
LOGAD_API nlohmann::json load_log_model_document(const std::string& path);

// What `logad feedback` changes.
struct VerdictChange {
    std::vector<std::string> normal, anomaly;  // targets (verdict_targets.hpp)
    pipeline::VerdictBy by = pipeline::VerdictBy::scope;
    std::int64_t until_ms = k_no_time;  // the new verdicts lapse then
    std::string note;                   // who gave them and why
    std::vector<std::uint64_t> remove;  // verdict ids
    bool prune_expired = false;
    std::int64_t now_ms = 0;  // when the verdicts are given (and what has expired)
};

// Told what is done, as it is done (the library prints nothing).
class VerdictChangeObserver {
public:
    virtual ~VerdictChangeObserver() = default;
    virtual void waiting(const std::string& /*path*/) {}
    virtual void note(const std::string& /*text*/) {}  // from resolving targets (verdict_resolver.hpp)
    virtual void added(std::uint64_t /*id*/, pipeline::Verdict /*verdict*/, const std::string& /*scope*/) {}
};

struct VerdictChangeResult {
    std::size_t added = 0, removed = 0;
    pipeline::Feedback feedback;  // as the file holds it now
};

// Resolves the targets, adds their verdicts, removes and prunes, and rewrites the model file,
// all under its lock. Throws UsageError for a target that names nothing or an id the model does
// not hold (nothing is written then).
LOGAD_API VerdictChangeResult change_verdicts(const std::string& model_path, const VerdictChange& change, std::istream& in,
                                    VerdictChangeObserver* observer = nullptr);

// Writes an update (analyze::update of the model at `model_path`) to `output` under the locks of
// both, with the verdicts the model file holds now (some may have been given while the update
// ran), carried into the model where the refit can hold them (absorb). Returns how many were.
LOGAD_API std::size_t save_update(UpdateResult& result, const std::string& model_path, const std::string& output,
                        const LockWait& on_wait = {});

}  // namespace logad::analyze
