#include <logad/present/train_run.hpp>

#include <logad/present/input_files.hpp>
#include <logad/present/progress.hpp>
#include <logad/present/verdict_text.hpp>

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/model_verdicts.hpp>
#include <logad/util/atomic_file.hpp>  // sweep_stale_temp_files

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace logad::present {
namespace {

// Below this many records a model is flagged as unreliable. With the default threshold (above
// every training row), a new normal row scores above all n training rows with probability
// 1/(n+1), so under 100 records more than 1% of normal lines would be expected to alert.
constexpr std::size_t k_min_records = 100;

using Clock = std::chrono::steady_clock;

// The progress line told how training reads.
class TrainProgress final : public analyze::ReadObserver {
public:
    TrainProgress(Progress& bar, std::string algo) : m_bar(bar), m_algo(std::move(algo)) {}
    void next_file(const io::ByteSource& source) override { m_bar.next_file(source); }
    void lines_read(std::uint64_t lines) override { m_bar.update(lines); }
    void fitting(std::size_t events) override { m_bar.phase(fmt::format("fitting {} on {} events", m_algo, events)); }

private:
    Progress& m_bar;
    std::string m_algo;
};

}  // namespace

analyze::TrainResult train_logs(const analyze::TrainRequest& request, const TrainShown& shown, std::istream& in,
                                std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    const auto t0 = Clock::now();
    Progress progress("train", request.files, err, shown.progress);
    TrainProgress observer(progress, request.settings.algo);
    analyze::TrainResult trained = analyze::train(request, in, &observer, std::move(first));
    const pipeline::PipelineModel& m = trained.model;
    m.save(shown.output);
    progress.clear();
    if (!request.settings.key.empty() && m.baseline.sessions == 0)
        fmt::print(err, "logad train: warning: no session key matched: --key '{}' found nothing in the {} records ({} "
                        "lines), so the model has no session part; check the field name or the regex\n",
                   request.settings.key, trained.records, trained.lines);
    if (trained.records < k_min_records)
        fmt::print(err, "logad train: warning: only {} records; below {} a model is unreliable (with the default "
                        "threshold about 1 in {} normal lines would score above every training line): train on "
                        "more normal logs\n",
                   trained.records, k_min_records, trained.records + 1);
    if (!shown.quiet) {
        const auto& s = trained.parse;
        fmt::print(err, "logad train: {} lines, {} records ({} continuation lines, {} unparsed), {} templates\n",
                   trained.lines, trained.records, s.continuation_lines, s.unparsed, m.space.templates.size());
        if (trained.bad_events)
            fmt::print(err, "logad train: {} input lines were not events and were skipped\n", trained.bad_events);
        if (trained.files_reordered) fmt::print(err, "logad train: {}\n", analyze::file_order_note(trained.files));
        print_fit_summary(m, trained.parts, shown.output, std::chrono::duration<double>(Clock::now() - t0).count(), err);
    }
    return trained;
}

void print_fit_summary(const pipeline::PipelineModel& m, const std::vector<pipeline::PartSummary>& summary,
                       const std::string& output, double seconds, std::ostream& err) {
    for (const auto& p : summary)
        fmt::print(err, "logad train: {:<7} {} rows x {} features, {} threshold {:.6g} ({}{})\n",
                   featurize::granularity_name(p.per), p.rows, p.features, m.train.algo, p.threshold,
                   m.train.rule.to_string(), p.margin > 0 ? fmt::format(" + margin {:.3g}", p.margin) : "");
    fmt::print(err, "logad train: signals from {} windows of {} ms{}; saved {} in {:.2f} s\n", m.baseline.windows,
               m.baseline.window_ms, m.baseline.key.empty() ? "" : fmt::format(" and {} sessions", m.baseline.sessions),
               output, seconds);
}

void update_logs(const UpdateShown& r, std::istream& in, std::ostream& err) {
    namespace fs = std::filesystem;
    const auto t0 = Clock::now();
    const auto old = pipeline::PipelineModel::from_document(analyze::load_log_model_document(r.model), r.model);  // verdicts kept
    const std::string output = r.output.empty() ? r.model : r.output;
    // Files an update of an older logad left behind when killed (it wrote a miner state and a model
    // beside the output, named with its pid): removed when that process is gone.
    util::sweep_stale_temp_files(fs::path(output).parent_path(), fs::path(output).filename().string() + ".update-");

    analyze::UpdateRequest request{input_files(r.files, "train", err), r.threads, r.model};
    analyze::UpdateResult result = analyze::update(old, request, in);
    const pipeline::PipelineModel& m = result.model;
    const std::size_t carried = analyze::save_update(result, r.model, output, say_waiting("train", r.quiet, err));
    if (!r.quiet) {
        fmt::print(err, "logad train: update with {} lines, {} records, {} new templates; refitted on them and {} "
                        "events of the model's training history{}{}\n",
                   result.lines, result.records, result.new_templates, old.history.events(),
                   old.history.empty() ? " (none: the model predates it, so the detectors learn the new logs only)" : "",
                   result.taught_lines == 0 ? std::string()
                                            : fmt::format(", and {} lines of {} normal verdicts", result.taught_lines,
                                                          result.taught_verdicts));
        print_fit_summary(m, result.parts, output, std::chrono::duration<double>(Clock::now() - t0).count(), err);
        fmt::print(err, "logad train: updated {} (templates, settings and {} feedback verdicts kept; {} carried into the model "
                        "and marked absorbed)\n",
                   output, m.feedback.verdicts.size(), carried);
        std::size_t exceptions = 0;
        for (const auto& v : m.feedback.verdicts)
            exceptions += v.state == pipeline::VerdictState::active && result.verdict_examples.contains(v.id);
        if (exceptions > 0)
            fmt::print(err, "logad train: {} line verdicts stay exceptions: the refitted model still alerts on their lines "
                            "(taught as often as scoring has silenced them; a later update tries again)\n",
                       exceptions);
    }
}

}  // namespace logad::present
