#include <logad/analyze/model_verdicts.hpp>

#include <logad/analyze/verdict_targets.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/file_lock.hpp>
#include <logad/util/versioned_file.hpp>

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

namespace logad::analyze {
namespace {

std::unique_ptr<util::FileLock> lock_model_file(const std::string& path, const LockWait& on_wait) {
    return std::make_unique<util::FileLock>(path, std::chrono::seconds(60), [&] {
        if (on_wait) on_wait(path);
    });
}

}  // namespace

nlohmann::json load_log_model_document(const std::string& path) {
    nlohmann::json doc = util::load_versioned(path, util::k_model_file);
    if (!pipeline::PipelineModel::is_pipeline(doc))
        throw UsageError(
            fmt::format("{} was trained on a numeric table; feedback and --update need a model trained on logs", path));
    return doc;
}

VerdictChangeResult change_verdicts(const std::string& model_path, const VerdictChange& change, std::istream& in,
                                    VerdictChangeObserver* observer) {
    const auto lock = lock_model_file(model_path, [observer](const std::string& path) {
        if (observer) observer->waiting(path);
    });
    nlohmann::json doc = load_log_model_document(model_path);
    VerdictChangeResult result;
    result.feedback = pipeline::Feedback::from_document(doc, model_path);
    const auto model = pipeline::PipelineModel::from_json(doc.at("pipeline"), model_path);
    auto give = [&](const std::vector<std::string>& targets, pipeline::Verdict verdict) {
        if (targets.empty()) return;
        pipeline::VerdictResolver resolver(model, verdict, change.by);
        for (const std::string& t : targets) resolve_target(resolver, t, in);
        if (observer)
            for (const std::string& note : resolver.notes) observer->note(note);
        for (auto& v : resolver.verdicts) {
            v.verdict = verdict;
            v.until_ms = change.until_ms;
            v.added_ms = change.now_ms;
            v.note = change.note;
            const std::string scope = v.scope_text();
            const std::uint64_t id = result.feedback.add(std::move(v));
            if (observer) observer->added(id, verdict, scope);
            ++result.added;
        }
    };
    give(change.normal, pipeline::Verdict::normal);
    give(change.anomaly, pipeline::Verdict::anomaly);
    for (const std::uint64_t id : change.remove) {
        if (!result.feedback.remove(id))
            throw UsageError(
                fmt::format("{} holds no verdict {}; see logad feedback -m {} --list", model_path, id, model_path));
        ++result.removed;
    }
    if (change.prune_expired) result.removed += result.feedback.prune_expired(change.now_ms);
    if (result.feedback.empty())
        doc.erase("feedback");
    else
        doc["feedback"] = result.feedback.to_json();
    util::save_versioned(model_path, util::k_model_file, std::move(doc));
    return result;
}

std::size_t save_update(UpdateResult& result, const std::string& model_path, const std::string& output,
                        const LockWait& on_wait) {
    const auto lock = lock_model_file(model_path, on_wait);
    std::unique_ptr<util::FileLock> output_lock;
    if (output != model_path) output_lock = lock_model_file(output, on_wait);
    std::size_t carried = 0;
    if (std::filesystem::exists(model_path)) {
        // A verdict on a template the update merged names the survivor (absorb retargets it).
        const auto current = pipeline::Feedback::from_document(load_log_model_document(model_path), model_path);
        carried = absorb(result, &current);
    } else {
        carried = absorb(result, nullptr);
    }
    result.model.save(output);
    return carried;
}

}  // namespace logad::analyze
