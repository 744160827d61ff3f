#include "log_pipeline.hpp"

#include "commands.hpp"
#include "input_files.hpp"
#include "progress.hpp"
#include "score_summary.hpp"
#include "terminal.hpp"

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/log_scorer.hpp>
#include <logad/analyze/score_inputs.hpp>
#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/output.hpp>
#include <logad/ops/score_writers.hpp>
#include <logad/util/duration.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

// Below this many records a model is flagged as unreliable. With the default threshold (above
// every training row), a new normal row scores above all n training rows with probability
// 1/(n+1), so under 100 records more than 1% of normal lines would be expected to alert.
constexpr std::size_t k_min_records = 100;

using Clock = std::chrono::steady_clock;

pipeline::TrainSettings train_settings(const LogOptions& o) {
    pipeline::TrainSettings t;
    for (const std::string& p : o.per) t.granularities.push_back(featurize::parse_granularity(p));
    t.window_ms = util::parse_duration_ms(o.window, "--window");
    t.slide_ms = o.slide.empty() ? 0 : util::parse_duration_ms(o.slide, "--slide");
    if (t.slide_ms > t.window_ms) throw UsageError("--slide must not be longer than --window");
    t.key = o.key;
    t.idle_ms = util::parse_duration_ms(o.idle, "--idle");
    t.max_vocab = o.max_vocab;
    t.reorder_ms = parse_reorder_tolerance(o.reorder_tolerance);
    if (!o.key.empty()) featurize::SessionKey check(o.key);  // a bad regex fails before reading
    return t;
}

// A shell word for a format string (single quotes, ' written '\'').
std::string shell_quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

std::int64_t parse_reorder_tolerance(const std::string& text) {
    if (text == "0") return 0;
    const std::int64_t ms = util::parse_duration_ms(text, "--reorder-tolerance");
    if (ms > 24LL * 3600 * 1000)
        throw UsageError(fmt::format("--reorder-tolerance '{}' is over a day; a few seconds to a minute absorbs "
                                     "threads and shippers writing out of order",
                                     text));
    return ms;
}

ScoreOutput parse_score_output(const std::string& name) {
    if (name == "ndjson") return ops::ScoreFormat::ndjson;
    if (name == "ecs") return ops::ScoreFormat::ecs;
    if (name == "ecs-bulk") return ops::ScoreFormat::ecs_bulk;
    throw UsageError(fmt::format("unknown --output '{}': use ndjson, ecs or ecs-bulk", name));
}

std::string misfit_advice(const pipeline::PipelineModel& m) {
    std::string how = "logad train -o NEW.json LOG";
    if (!m.parse.format.regex.empty())
        how += " (with a --regex that matches this log)";
    else if (m.parse.format.format != "auto")
        how += " (with the --format of this log, not " + shell_quoted(m.parse.format.format) + ")";
    return "was the model trained on this kind of log? Score it with a model trained on it: " + how;
}

void add_log_options(CLI::App& cmd, LogOptions& o) {
    add_parse_options(cmd, o.parse);
    cmd.add_option("--per", o.per,
                   "granularities for logs: line, window, session (repeatable or comma-separated; default: all that fit)")
        ->delimiter(',')
        ->check(CLI::IsMember({"line", "window", "session"}));
    cmd.add_option("--window", o.window, "time window length (500ms, 60s, 5m...)")->capture_default_str();
    cmd.add_option("--slide", o.slide, "window step for sliding windows (default: the window length)");
    cmd.add_option("--key", o.key, "session id: a field name (request_id) or an RE2 regex ('blk_-?\\d+')");
    cmd.add_option("--idle", o.idle, "a session ends after this long without events")->capture_default_str();
    cmd.add_option("--max-vocab", o.max_vocab, "template columns in window and session rows")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd.add_option("--reorder-tolerance", o.reorder_tolerance,
                   "windows and sessions take records in time order when they are at most this much out of order; "
                   "a lone record further ahead is placed at the stream's time (0 = off; kept in the model for score)")
        ->capture_default_str();
}

namespace {

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

int train_on_logs(const LogTrainRequest& r, std::istream& in, std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    const auto t0 = Clock::now();
    analyze::TrainRequest request;
    request.settings = train_settings(r.logs);
    request.settings.algo = r.algo;
    request.settings.params = r.params;
    if (!r.threshold.empty()) request.settings.rule = model::ThresholdRule::parse(r.threshold);
    request.settings.seed = r.seed;
    request.settings.threads = r.threads;
    request.miner = miner_options(r.logs.parse);
    request.miner_state = r.logs.parse.state_path;
    request.parse.format = r.logs.parse.format;
    request.parse.multiline = r.logs.parse.multiline;
    request.parse.masks = request.miner.masks;
    request.parse.max_line = r.logs.parse.max_line;
    request.files = input_files(r.logs.parse.files, "train", err);
    request.claim = r.input;

    Progress progress("train", request.files, err, r.progress);
    TrainProgress observer(progress, r.algo);
    analyze::TrainResult trained = analyze::train(request, in, &observer, std::move(first));
    const pipeline::PipelineModel& m = trained.model;
    m.save(r.output);
    progress.clear();
    if (!r.logs.key.empty() && m.baseline.sessions == 0)
        fmt::print(err, "logad train: warning: no session key matched: --key '{}' found nothing in the {} records ({} "
                        "lines), so the model has no session part; check the field name or the regex\n",
                   r.logs.key, trained.records, trained.lines);
    if (trained.records < k_min_records)
        fmt::print(err, "logad train: warning: only {} records; below {} a model is unreliable (with the default "
                        "threshold about 1 in {} normal lines would score above every training line): train on "
                        "more normal logs\n",
                   trained.records, k_min_records, trained.records + 1);
    if (!r.quiet) {
        const auto& s = trained.parse;
        fmt::print(err, "logad train: {} lines, {} records ({} continuation lines, {} unparsed), {} templates\n",
                   trained.lines, trained.records, s.continuation_lines, s.unparsed, m.space.templates.size());
        if (trained.bad_events)
            fmt::print(err, "logad train: {} input lines were not events and were skipped\n", trained.bad_events);
        if (trained.files_reordered) fmt::print(err, "logad train: {}\n", analyze::file_order_note(trained.files));
        print_fit_summary(m, trained.parts, r.output, std::chrono::duration<double>(Clock::now() - t0).count(), err);
    }
    return k_exit_ok;
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
        if (m_request.misfit) return;  // the caller judges it
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
                        "held)\n",
                   order.early, pipeline::TimeOrderOptions{}.max_held);
    if (st.dropped_keys)
        fmt::print(err, "logad score: {} session keys not followed (a line held more than {} distinct keys)\n",
                   st.dropped_keys, featurize::SessionKey::k_max_keys_per_line);
    if (r.summary) outputs.summary.print(err, color_on(2));
}

}  // namespace

int score_logs(const pipeline::PipelineModel& m, const LogScoreRequest& r, std::istream& in, std::ostream& out,
               std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    io::OutputBuffer output(out);
    const auto writer = ops::make_score_writer(r.output, output);
    ScoreOutputs outputs(*writer, r);
    ops::ObservedSink observed(outputs, r.observer);  // metrics and alerts see each record written
    analyze::ScoreRequest request;
    request.files = input_files(r.logs.parse.files, r.command, err);
    request.follow = r.follow;
    request.settings.scorer.all = r.all;
    request.settings.scorer.threads = r.threads;
    request.settings.scorer.horizon = r.horizon;
    request.settings.reorder_ms = r.reorder_ms;
    request.settings.incidents = r.incidents;
    request.model_path = r.model_path;
    Progress bar("score", request.files, err, r.progress);
    ScoreRunWatcher watcher(m, r, bar, output, outputs.summary, err);
    const analyze::ScoreRun run = analyze::score_inputs(m, request, observed, &outputs, in, &watcher, std::move(first));
    if (r.misfit) *r.misfit = run.misfit;
    output.flush();
    if (r.observer) r.observer->finish(run.progress);
    outputs.summary.extent(run.last_ms, run.progress.lines);
    bar.clear();
    if (r.totals) {
        *r.totals = {run.progress.lines, run.stats.events, run.stats.rows, run.first_ms, run.last_ms, {}};
        if (run.files_reordered) r.totals->file_order = analyze::file_order_note(run.files);
    }
    print_score_totals(m, r, run, outputs, err);
    return r.fail_on_anomaly && outputs.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
