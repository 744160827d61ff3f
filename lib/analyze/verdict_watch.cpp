#include <logad/analyze/verdict_watch.hpp>

#include <logad/error.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/util/file_lock.hpp>
#include <logad/util/versioned_file.hpp>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace logad::analyze {

VerdictWatch::VerdictWatch(std::string path, Notify notify) : m_path(std::move(path)), m_notify(std::move(notify)) {
    changed();
}

void VerdictWatch::check(pipeline::Scorer& scorer) {
    if (m_path.empty() || Clock::now() - m_checked < std::chrono::seconds(1)) return;
    m_checked = Clock::now();
    if (Clock::now() - m_counted >= std::chrono::minutes(1)) save_counts(scorer, false);
    if (!changed()) return;
    try {
        const auto doc = util::load_versioned(m_path, util::k_model_file);
        scorer.replace_feedback(pipeline::Feedback::from_document(doc, m_path));
        m_notify(Note::reloaded, m_path);
    } catch (const Error& e) {
        m_notify(Note::reload_failed, e.what());
    }
}

void VerdictWatch::save_counts(pipeline::Scorer& scorer, bool at_end) {
    m_counted = Clock::now();
    if (m_path.empty()) return;
    for (const auto& c : scorer.take_verdict_counts()) m_pending.push_back(c);
    if (m_pending.empty()) return;
    try {
        const util::FileLock lock(m_path, at_end ? std::chrono::milliseconds(5000) : std::chrono::milliseconds(200));
        auto doc = util::load_versioned(m_path, util::k_model_file);
        auto feedback = pipeline::Feedback::from_document(doc, m_path);
        feedback.add_counts(m_pending);
        if (!feedback.empty()) doc["feedback"] = feedback.to_json();  // a verdict removed meanwhile stays removed
        util::save_versioned(m_path, util::k_model_file, std::move(doc));
        m_pending.clear();
        // What was written is the file now, verdicts given since the last look included:
        // hand it over here, as the rename hides that change from the next look.
        changed();
        if (!at_end) scorer.replace_feedback(std::move(feedback));
    } catch (const Error& e) {
        if (!m_warned || at_end) m_notify(Note::counts_not_saved, e.what());
        m_warned = true;
    }
}

bool VerdictWatch::changed() {
    struct stat st {};
    if (m_path.empty() || ::stat(m_path.c_str(), &st) != 0) return false;
    const auto now = std::make_tuple(st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    const bool differs = now != m_seen;
    m_seen = now;
    return differs;
}

}  // namespace logad::analyze
