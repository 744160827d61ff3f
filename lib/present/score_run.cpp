#include <logad/present/score_run.hpp>

#include <logad/present/input_files.hpp>
#include <logad/present/progress.hpp>
#include <logad/present/score_summary.hpp>
#include <logad/present/terminal.hpp>

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/score_inputs.hpp>
#include <logad/io/output.hpp>
#include <logad/util/duration.hpp>

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>

namespace logad::present {
namespace {

// What `score` shows on stdout (incidents, and every record with --records or --all), handed
// to the callers' sinks, and counted for the totals and the summary.
class ScoreOutputs final : public Sink<pipeline::ScoreRecord>, public Sink<pipeline::Incident> {
public:
    ScoreOutputs(ops::ScoreWriter& writer, const LogScoreRequest& request) : m_writer(writer), m_request(request) {}
    void push(pipeline::ScoreRecord& r) override {
        if (m_request.records || m_request.all) m_writer.push(r);
        for (auto* sink : m_request.also) sink->push(r);
        if (r.anomaly) {
            ++anomalies;
            ++by_detector[r.detector];
            summary.add(r);  // the LogScorer rolls it into an incident next
        }
    }
    void push(pipeline::Incident& i) override {
        m_writer.push(i);
        if (m_request.observer) m_request.observer->on_incident(i);
        if (i.state == pipeline::Incident::State::closed) summary.add(i);
    }
    std::uint64_t anomalies = 0;
    std::map<std::string, std::uint64_t> by_detector;
    ScoreSummary summary;

private:
    ops::ScoreWriter& m_writer;
    const LogScoreRequest& m_request;
};

// How the run goes, for people (progress line, warnings), metrics and the output's reader.
class ScoreRunWatcher final : public analyze::ScoreReadObserver {
public:
    ScoreRunWatcher(const pipeline::PipelineModel& m, const LogScoreRequest& r, Progress& bar, io::OutputBuffer& out,
                    ScoreSummary& summary, std::ostream& err)
        : m_model(m), m_request(r), m_bar(bar), m_out(out), m_summary(summary), m_err(err) {}
    void next_file(const io::ByteSource& source) override { m_bar.next_file(source); }
    void table_read_as_logs(const std::string& file) override {
        fmt::print(m_err, "logad {}: warning: the first line of {} looks like a numeric table; it is read as logs, "
                          "since the model was trained on logs (a table needs a model trained on a table)\n",
                   m_request.command, file);
    }
    void progress(const ops::ScoreProgress& p) override {
        if (m_request.observer) m_request.observer->on_progress(p);
        m_summary.extent(p.last_event_ms, p.lines);
        m_bar.update(p.lines);
    }
    void paused() override { m_out.flush(); }
    void misfit(const std::string& why) override {
        if (m_request.caller_judges_fit) return;
        m_bar.clear();  // said even with --quiet: the results mean little
        fmt::print(m_err, "logad score: warning: {}; {}\n", why, misfit_advice(m_model));
    }
    void verdicts(analyze::VerdictWatch::Note note, const std::string& detail) override {
        using Note = analyze::VerdictWatch::Note;
        if (note == Note::reloaded && !m_request.quiet) fmt::print(m_err, "logad score: verdicts reloaded from {}\n", detail);
        if (note == Note::reload_failed && !m_request.quiet)
            fmt::print(m_err, "logad score: warning: kept the verdicts in force: {}\n", detail);
        if (note == Note::counts_not_saved)
            fmt::print(m_err, "logad score: warning: could not record in {} how many records the verdicts silenced: {}\n",
                       m_request.model_path, detail);
    }

private:
    const pipeline::PipelineModel& m_model;
    const LogScoreRequest& m_request;
    Progress& m_bar;
    io::OutputBuffer& m_out;
    ScoreSummary& m_summary;
    std::ostream& m_err;
};

// The totals and what people should know of the run, on stderr.
void print_score_totals(const pipeline::PipelineModel& m, const LogScoreRequest& r, const analyze::ScoreRun& run,
                        const ScoreOutputs& outputs, std::ostream& err) {
    const auto& st = run.stats;
    const bool has_sessions = std::any_of(m.parts.begin(), m.parts.end(), [](const pipeline::Part& p) {
        return p.per == featurize::Granularity::session;
    });
    if (has_sessions && st.events > 0 && st.sessions == 0)
        fmt::print(err, "logad {}: warning: the model's session key '{}' matched none of the {} records, so no session "
                        "was scored; is this the log the model was trained on?\n",
                   r.command, m.train.key, st.events);
    if (r.quiet) return;
    std::string parts;
    for (const auto& [name, n] : outputs.by_detector) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, name);
    fmt::print(err, "logad score: {} lines, {} events, {} rows scored, {} anomalies{} in {} incidents\n", run.progress.lines,
               st.events, st.rows, outputs.anomalies, parts.empty() ? "" : " (" + parts + ")", run.incidents_opened);
    if (run.bad_events) fmt::print(err, "logad score: {} input lines were not events and were skipped\n", run.bad_events);
    if (run.files_reordered) fmt::print(err, "logad {}: {}\n", r.command, analyze::file_order_note(run.files));
    if (st.clock_jumps)
        fmt::print(err, "logad score: {} records jumped beyond the clock horizon and were placed at the stream's time\n",
                   st.clock_jumps);
    const auto& order = run.order;
    const std::string tolerance = util::format_duration_ms(run.reorder_ms);
    // Records a little out of order (threads, second-resolution stamps) are normal and not said.
    if (order.late)
        fmt::print(err, "logad score: {} records came more than {} after records of a later time; windows and "
                        "sessions placed them at the stream's time\n",
                   order.late, tolerance);
    if (order.ahead)
        fmt::print(err, "logad score: {} records were more than {} ahead of the records around them (a wrong "
                        "clock?); windows and sessions placed them at the stream's time\n",
                   order.ahead, tolerance);
    if (order.early)
        fmt::print(err, "logad score: {} records went to windows before the reorder tolerance elapsed (over {} "
                        "held, or over {} MiB of their text)\n",
                   order.early, pipeline::TimeOrderOptions{}.max_held, pipeline::TimeOrderOptions{}.max_held_bytes >> 20);
    if (run.templates_forgotten)
        fmt::print(err, "logad score: {} templates were forgotten (the least recently used) to keep memory bounded; "
                        "their lines, seen again, get new templates\n",
                   run.templates_forgotten);
    if (st.dropped_keys)
        fmt::print(err, "logad score: {} session keys not followed (a line held more than {} distinct keys)\n",
                   st.dropped_keys, featurize::SessionKey::k_max_keys_per_line);
    if (r.summary) outputs.summary.print(err, color_on(2));
}

// A shell word for a format string (single quotes, ' written '\'').
std::string shell_quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

std::string misfit_advice(const pipeline::PipelineModel& m) {
    std::string how = "logad train -o NEW.json LOG";
    if (!m.parse.format.regex.empty())
        how += " (with a --regex that matches this log)";
    else if (m.parse.format.format != "auto")
        how += " (with the --format of this log, not " + shell_quoted(m.parse.format.format) + ")";
    return "was the model trained on this kind of log? Score it with a model trained on it: " + how;
}

LogScoreResult score_logs(const pipeline::PipelineModel& m, const LogScoreRequest& r, std::istream& in, std::ostream& out,
                          std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    io::OutputBuffer output(out);
    const auto writer = ops::make_score_writer(r.output, output);
    ScoreOutputs outputs(*writer, r);
    ops::ObservedSink observed(outputs, r.observer);  // metrics and alerts see each record written
    analyze::ScoreRequest request;
    request.files = input_files(r.files, r.command, err);
    request.follow = r.follow;
    request.settings.scorer.all = r.all;
    request.settings.scorer.threads = r.threads;
    request.settings.scorer.horizon = r.horizon;
    request.settings.reorder_ms = r.reorder_ms;
    request.settings.incidents = r.incidents;
    request.model_path = r.model_path;
    request.threads = r.read_threads;
    request.block_lines = r.block_lines;
    Progress bar("score", request.files, err, r.progress);
    ScoreRunWatcher watcher(m, r, bar, output, outputs.summary, err);
    const analyze::ScoreRun run = analyze::score_inputs(m, request, observed, &outputs, in, &watcher, std::move(first));
    output.flush();
    if (r.observer) r.observer->finish(run.progress);
    outputs.summary.extent(run.last_ms, run.progress.lines);
    bar.clear();
    LogScoreResult result{outputs.anomalies, run.progress.lines, run.stats.events, run.stats.rows, run.first_ms, run.last_ms, {},
                          run.misfit};
    if (run.files_reordered) result.file_order = analyze::file_order_note(run.files);
    print_score_totals(m, r, run, outputs, err);
    return result;
}

}  // namespace logad::present
