#include "log_pipeline.hpp"

#include "commands.hpp"
#include "input_files.hpp"
#include "progress.hpp"
#include "score_summary.hpp"
#include "terminal.hpp"

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/log_scorer.hpp>
#include <logad/analyze/train.hpp>
#include <logad/analyze/verdict_watch.hpp>
#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/ops/ecs.hpp>
#include <logad/pipeline/input_fit.hpp>
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
constexpr std::uint64_t k_fit_lines_live = 2000;  // lines read before a live stream's fit is judged

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
    if (name == "ndjson") return ScoreOutput::ndjson;
    if (name == "ecs") return ScoreOutput::ecs;
    if (name == "ecs-bulk") return ScoreOutput::ecs_bulk;
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

// Writes what `score` shows on stdout: incidents, and every record with --records or --all.
class RecordWriter final : public Sink<pipeline::ScoreRecord>, public Sink<pipeline::Incident> {
public:
    RecordWriter(io::OutputBuffer& out, const LogScoreRequest& request) : m_out(out), m_request(request) {}
    void push(pipeline::ScoreRecord& r) override {
        if (r.file.empty()) r.file = file_of(r);
        if (m_request.records || m_request.all) {
            if (m_request.output == ScoreOutput::ndjson) pipeline::append_score_json(m_out.buffer(), r);
            else ops::append_ecs_record(ecs_start(), r, wall_ms());
            m_out.commit();
        }
        for (auto* sink : m_request.also) sink->push(r);
        if (r.anomaly) {
            ++anomalies;
            ++by_detector[r.detector];
            summary.add(r);  // the LogScorer rolls it into an incident next
        }
    }
    void push(pipeline::Incident& i) override {
        if (m_request.output == ScoreOutput::ndjson) pipeline::append_incident_json(m_out.buffer(), i);
        else ops::append_ecs_incident(ecs_start(), i, wall_ms());
        m_out.commit();
        if (m_request.observer) m_request.observer->on_incident(i);
        if (i.state == pipeline::Incident::State::closed) summary.add(i);
    }
    std::uint64_t anomalies = 0;
    std::map<std::string, std::uint64_t> by_detector;
    ScoreSummary summary;
    // The input being read, named in records when there are several; line numbers restart in
    // each. A window or session record can be written just after the next file began (it closes
    // at a later event): a first line past what this file has read so far is the previous file's.
    void next_file(const std::string& name) {
        previous_file = file;
        file = name;
        lines_read = 0;
    }
    std::string file, previous_file;
    std::uint64_t lines_read = 0;  // of `file`, kept current by the reading loop

private:
    // The buffer an ECS document goes to, after its _bulk action line when asked for.
    std::string& ecs_start() {
        if (m_request.output == ScoreOutput::ecs_bulk) m_out.buffer() += ops::k_bulk_action;
        return m_out.buffer();
    }
    static std::int64_t wall_ms() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    const std::string& file_of(const pipeline::ScoreRecord& r) const {
        return r.per != "line" && r.first_line > lines_read && !previous_file.empty() ? previous_file : file;
    }
    io::OutputBuffer& m_out;
    const LogScoreRequest& m_request;
};

}  // namespace

int score_logs(const pipeline::PipelineModel& m, const LogScoreRequest& r, std::istream& in, std::ostream& out,
               std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    io::OutputBuffer output(out);
    RecordWriter writer(output, r);
    ops::ObservedSink observed(writer, r.observer);  // metrics and alerts see each record written
    analyze::ScoreSettings settings;
    settings.scorer.all = r.all;
    settings.scorer.threads = r.threads;
    settings.scorer.horizon = r.horizon;
    settings.reorder_ms = r.reorder_ms;
    settings.incidents = r.incidents;
    analyze::LogScorer scoring(m, settings, observed, &writer);
    pipeline::Scorer& scorer = scoring.scorer();
    analyze::VerdictWatch verdicts(r.model_path, [&](analyze::VerdictWatch::Note note, const std::string& detail) {
        using Note = analyze::VerdictWatch::Note;
        if (note == Note::reloaded && !r.quiet) fmt::print(err, "logad score: verdicts reloaded from {}\n", detail);
        if (note == Note::reload_failed && !r.quiet)
            fmt::print(err, "logad score: warning: kept the verdicts in force: {}\n", detail);
        if (note == Note::counts_not_saved)
            fmt::print(err, "logad score: warning: could not record in {} how many records the verdicts silenced: {}\n",
                       r.model_path, detail);
    });

    std::uint64_t lines = 0, bad_events = 0;
    // Progress for metrics: lines read, parse failures, events and event time so far.
    const io::LineReader* current = nullptr;
    std::uint64_t truncated = 0;
    auto progress = [&] {
        ops::ScoreProgress p;
        p.lines = lines + (current ? current->line_number() : 0);
        p.truncated = truncated + (current ? current->truncated() : 0);
        p.unparsed = scoring.parse_stats().unparsed;
        p.events = scorer.stats().events;
        p.dropped_keys = scorer.stats().dropped_keys;
        p.clock_jumps = scorer.stats().clock_jumps;
        p.last_event_ms = scorer.last_event_time();
        return p;
    };
    std::vector<std::string> files = input_files(r.logs.parse.files, r.command, err);
    const bool files_reordered = !first && !r.follow && analyze::order_by_first_time(files, m.parse.format, in);
    Progress bar("score", files, err, r.progress);
    bool saw_time = false;  // until the first event time: report at every line, so the summary's timeline starts there
    // Does the input fit the model? Judged as figures come in (a live stream never ends) and at
    // the end; said once.
    std::string misfit;
    auto judge_fit = [&](bool at_end) {
        if (!misfit.empty()) return;
        const pipeline::FitProfile seen = scoring.fit_seen();
        // Before the end, only on enough lines that a log's first moments do not decide it.
        if (!at_end && seen.lines < k_fit_lines_live) return;
        misfit = pipeline::misfit(m.fit_profile, seen, analyze::format_text(m.parse.format));
        if (!misfit.empty() && !r.misfit) {  // said even with --quiet: the results mean little
            bar.clear();
            fmt::print(err, "logad score: warning: {}; {}\n", misfit, misfit_advice(m));
        }
    };
    auto report = [&] {
        judge_fit(false);
        const ops::ScoreProgress p = progress();
        saw_time = p.last_event_ms != k_no_time;
        if (r.observer) r.observer->on_progress(p);
        scoring.count_events();  // time moves the incidents only in tick(): a silent stream
        writer.summary.extent(p.last_event_ms, p.lines);
        bar.update(p.lines);
        verdicts.check(scorer);  // a busy stream too (at most one stat a second)
    };
    for (const std::string& file : files) {
        auto source = first                        ? std::move(first)
                      : r.follow && file != "-" ? io::open_followed(file)
                                                 : analyze::open_log_input(file, in, m.parse.format);
        // A model trained on logs reads logs (or events): the model decides, as `train --input logs`
        // did. A first line that looks like a table is said, in case a table was meant.
        const std::string first_line = io::peek_first_line(source);
        const InputKind kind = io::resolve_input_kind(first_line, io::InputClaim::logs);
        if (analyze::input_claim(m.parse.format) == io::InputClaim::guess && io::classify_input(first_line) == InputKind::table)
            fmt::print(err, "logad {}: warning: the first line of {} looks like a numeric table; it is read as logs, "
                            "since the model was trained on logs (a table needs a model trained on a table)\n",
                       r.command, file == "-" ? "stdin" : file);
        bar.next_file(*source);
        if (files.size() > 1) writer.next_file(file);
        io::LineReader reader(*source, m.parse.max_line);
        current = &reader;
        reader.set_idle_hook([&] {
            scoring.flush();
            output.flush();
            report();
        });
        reader.set_tick(
            [&] {
                scoring.tick(Clock::now());
                output.flush();
                report();
            },
            1000);
        std::string_view line;
        if (kind == InputKind::events) {
            Event e;
            while (reader.next(line)) {
                writer.lines_read = reader.line_number();
                if ((reader.line_number() & 1023) == 0 || (!saw_time && reader.line_number() < 1024)) report();
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++bad_events;
                    continue;
                }
                scoring.push_event(e);
            }
        } else {
            while (reader.next(line)) {
                writer.lines_read = reader.line_number();
                scoring.push_line(line, reader.line_number());
                if ((reader.line_number() & 1023) == 0 || (!saw_time && reader.line_number() < 1024)) report();
            }
            scoring.end_of_input();
        }
        scorer.flush();  // this file's line records go out while it is still the file named in them
        report();
        lines += reader.line_number();
        truncated += reader.truncated();
        current = nullptr;
    }
    scoring.finish();  // scores the held record, closes the incidents still open
    verdicts.save_counts(scorer, true);
    judge_fit(true);
    if (r.misfit) *r.misfit = misfit;
    output.flush();
    if (r.observer) r.observer->finish(progress());
    writer.summary.extent(scorer.last_event_time(), lines);
    bar.clear();
    const auto& stats = scorer.stats();
    if (r.totals) {
        *r.totals = {lines, stats.events, stats.rows, scorer.first_event_time(), scorer.last_event_time(), {}};
        if (files_reordered) r.totals->file_order = analyze::file_order_note(files);
    }
    const bool has_sessions = std::any_of(m.parts.begin(), m.parts.end(), [](const pipeline::Part& p) {
        return p.per == featurize::Granularity::session;
    });
    if (has_sessions && stats.events > 0 && stats.sessions == 0)
        fmt::print(err, "logad {}: warning: the model's session key '{}' matched none of the {} records, so no session "
                        "was scored; is this the log the model was trained on?\n",
                   r.command, m.train.key, stats.events);
    if (!r.quiet) {
        const auto& st = scorer.stats();
        std::string parts;
        for (const auto& [name, n] : writer.by_detector) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, name);
        fmt::print(err, "logad score: {} lines, {} events, {} rows scored, {} anomalies{} in {} incidents\n", lines, st.events,
                   st.rows, writer.anomalies, parts.empty() ? "" : " (" + parts + ")", scoring.incidents_opened());
        if (bad_events) fmt::print(err, "logad score: {} input lines were not events and were skipped\n", bad_events);
        if (files_reordered) fmt::print(err, "logad {}: {}\n", r.command, analyze::file_order_note(files));
        if (st.clock_jumps)
            fmt::print(err, "logad score: {} records jumped beyond the clock horizon and were placed at the stream's time\n",
                       st.clock_jumps);
        const auto& order = scorer.order_stats();
        const std::string tolerance = util::format_duration_ms(scoring.reorder_ms());
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
        if (r.summary) writer.summary.print(err, color_on(2));
    }
    return r.fail_on_anomaly && writer.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
