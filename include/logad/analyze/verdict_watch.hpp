#pragma once
// Verdicts given while a scorer runs: `logad feedback` rewrites the model file (atomically, under
// its lock), and a live scorer takes the new verdicts in within seconds, busy or quiet.
//
// check() notices a rewrite of the model file (its inode, size or time change: writes are atomic
// renames) and hands the verdicts it now holds to the scorer; it looks at most once a second, so
// it can be called from every progress report. It also writes back how many records each verdict
// silenced (feedback.hpp's "silenced"): in one batch at most once a minute and at the end, under
// the lock `logad feedback` takes, so a verdict given meanwhile is kept, and never on the scoring
// path itself.
#include <logad/export.hpp>
#include <logad/pipeline/feedback.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include <sys/types.h>

namespace logad::pipeline {
class Scorer;
}

namespace logad::analyze {

class LOGAD_API VerdictWatch {
public:
    enum class Note { reloaded, reload_failed, counts_not_saved };
    // What happened, for the caller to say: `detail` is the file (reloaded) or the error.
    using Notify = std::function<void(Note note, const std::string& detail)>;

    // `path` empty: nothing is watched.
    VerdictWatch(std::string path, Notify notify);
    void check(pipeline::Scorer& scorer);
    // Adds the counts since the last call to the model file; kept for the next call when the file
    // cannot be changed now (another logad holds it; told once, and at the end, when it cannot).
    void save_counts(pipeline::Scorer& scorer, bool at_end);

private:
    using Clock = std::chrono::steady_clock;
    bool changed();
    std::string m_path;
    Notify m_notify;
    std::tuple<ino_t, off_t, time_t, long> m_seen{};
    Clock::time_point m_checked = Clock::now();
    Clock::time_point m_counted = Clock::now();
    std::vector<pipeline::VerdictCount> m_pending;
    bool m_warned = false;
};

}  // namespace logad::analyze
