#include "log_pipeline.hpp"

#include "commands.hpp"
#include "file_order.hpp"
#include "input_files.hpp"
#include "miner_state.hpp"
#include "progress.hpp"
#include "score_summary.hpp"
#include "terminal.hpp"

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/pipeline/input_fit.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/file_lock.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/versioned_file.hpp>
#include <logad/io/paths.hpp>
#include <logad/ops/ecs.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include <sys/stat.h>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

// Below this many records a model is flagged as unreliable. With the default threshold (above
// every training row), a new normal row scores above all n training rows with probability
// 1/(n+1), so under 100 records more than 1% of normal lines would be expected to alert.
constexpr std::size_t k_min_records = 100;

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t k_fit_lines_live = 2000;  // lines read before a live stream's fit is judged

parse::FormatOptions format_of(const ParseOptions& p) { return p.format; }

// Stage: records -> events through a miner, into a callback.
class Miner final : public Sink<Record> {
public:
    Miner(mine::TemplateMiner& miner, std::vector<Event>& out) : m_miner(miner), m_out(out) {}
    void push(Record& r) override {
        Event e;
        std::swap(e.record, r);
        m_miner.learn(e);
        m_out.push_back(std::move(e));
    }

private:
    mine::TemplateMiner& m_miner;
    std::vector<Event>& m_out;
};

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

std::string format_text(const parse::FormatOptions& f) { return f.regex.empty() ? f.format : "regex " + f.regex; }

std::string misfit_advice(const pipeline::PipelineModel& m) {
    std::string how = "logad train -o NEW.json LOG";
    if (!m.parse.format.regex.empty())
        how += " (with a --regex that matches this log)";
    else if (m.parse.format.format != "auto")
        how += " (with the --format of this log, not " + shell_quoted(m.parse.format.format) + ")";
    return "was the model trained on this kind of log? Score it with a model trained on it: " + how;
}

io::InputClaim input_claim(const parse::FormatOptions& format) {
    return format.format != "auto" || !format.regex.empty() ? io::InputClaim::logs : io::InputClaim::guess;
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

TrainingInput read_training_input(const std::vector<std::string>& files, io::InputClaim claim,
                                  const pipeline::ParseSettings& parse, mine::TemplateMiner& miner, std::istream& in,
                                  Progress& progress, std::unique_ptr<io::ByteSource> first) {
    TrainingInput t;
    const auto format = parse::make_format(parse.format);
    Miner mining(miner, t.events);
    parse::RecordAssembler assembler(*format, mining, parse.multiline);
    std::uint64_t event_lines = 0;
    for (const std::string& file : files) {
        auto source = first ? std::move(first) : open_log_input(file, in, parse.format);
        const InputKind kind = io::resolve_input_kind(io::peek_first_line(source), claim);
        if (kind == InputKind::table)
            throw UsageError(fmt::format("{} looks like a numeric table; give only tables, or only logs "
                                         "(--input logs reads it as logs)", file));
        progress.next_file(*source);
        io::LineReader reader(*source, parse.max_line);
        std::string_view line;
        if (kind == InputKind::events) {
            Event e;
            while (reader.next(line)) {
                if ((++t.lines & 1023) == 0) progress.update(t.lines);
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++t.bad_events;
                    continue;
                }
                event_lines += e.record.line_count;
                t.events.push_back(std::move(e));
            }
        } else {
            while (reader.next(line)) {
                assembler.push_line(line, reader.line_number());
                if ((reader.line_number() & 1023) == 0) progress.update(t.lines + reader.line_number());
            }
            assembler.release();
            t.lines += reader.line_number();
        }
    }
    assembler.finish();
    mine::refresh_merged(miner, t.events);  // lines mined before their template generalised
    t.parse = assembler.stats();
    // Events were parsed elsewhere: their lines all matched the format, as far as we know.
    t.profile.lines = t.parse.lines - t.parse.empty + event_lines;
    t.profile.unmatched = t.parse.continuation_lines + t.parse.unparsed;
    for (const Event& e : t.events) {
        ++t.profile.records;
        t.profile.max_record_lines = std::max<std::uint64_t>(t.profile.max_record_lines, e.record.line_count);
        t.profile.timed += e.record.has_time();
        t.profile.leveled += e.record.level != Level::unknown;
    }
    t.profile.measured = true;
    return t;
}

int train_on_logs(const LogTrainRequest& r, std::istream& in, std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    const auto t0 = Clock::now();
    pipeline::TrainSettings settings = train_settings(r.logs);
    settings.algo = r.algo;
    settings.params = r.params;
    if (!r.threshold.empty()) settings.rule = model::ThresholdRule::parse(r.threshold);
    settings.seed = r.seed;
    settings.threads = r.threads;
    model::make_detector(r.algo, r.params);  // unknown algorithm or parameter: fail before reading

    pipeline::ParseSettings parse;
    parse.format = format_of(r.logs.parse);
    parse.multiline = r.logs.parse.multiline;
    parse.masks = miner_options(r.logs.parse).masks;
    parse.max_line = r.logs.parse.max_line;

    mine::TemplateMiner miner = load_or_create_miner(r.logs.parse.state_path, miner_options(r.logs.parse));
    std::vector<std::string> files = input_files(r.logs.parse.files, "train", err);
    const bool files_reordered = !first && order_by_first_time(files, parse.format, in);
    Progress progress("train", files, err, r.progress);
    TrainingInput input = read_training_input(files, r.input, parse, miner, in, progress, std::move(first));
    progress.phase(fmt::format("fitting {} on {} events", r.algo, input.events.size()));

    std::vector<pipeline::PartSummary> summary;
    pipeline::PipelineModel m =
        pipeline::PipelineModel::fit(std::move(parse), std::move(settings), std::move(miner), input.events, summary);
    m.fit_profile = input.profile;
    m.fit_profile.unseen = m.space.templates.size();  // each template was new once
    m.save(r.output);
    progress.clear();
    if (!r.logs.key.empty() && m.baseline.sessions == 0)
        fmt::print(err, "logad train: warning: no session key matched: --key '{}' found nothing in the {} records ({} "
                        "lines), so the model has no session part; check the field name or the regex\n",
                   r.logs.key, input.events.size(), input.lines);
    if (input.events.size() < k_min_records)
        fmt::print(err, "logad train: warning: only {} records; below {} a model is unreliable (with the default "
                        "threshold about 1 in {} normal lines would score above every training line): train on "
                        "more normal logs\n",
                   input.events.size(), k_min_records, input.events.size() + 1);
    if (!r.quiet) {
        const auto& s = input.parse;
        fmt::print(err, "logad train: {} lines, {} records ({} continuation lines, {} unparsed), {} templates\n",
                   input.lines, input.events.size(), s.continuation_lines, s.unparsed, m.space.templates.size());
        if (input.bad_events)
            fmt::print(err, "logad train: {} input lines were not events and were skipped\n", input.bad_events);
        if (files_reordered) fmt::print(err, "logad train: {}\n", file_order_note(files));
        print_fit_summary(m, summary, r.output, std::chrono::duration<double>(Clock::now() - t0).count(), err);
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
class RecordWriter final : public Sink<pipeline::ScoreRecord>, Sink<pipeline::Incident> {
public:
    RecordWriter(io::OutputBuffer& out, const LogScoreRequest& request)
        : tracker(request.incidents, static_cast<Sink<pipeline::Incident>&>(*this)), m_out(out), m_request(request) {}
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
            summary.add(r);
            if (stats) tracker.count_events(stats->events);
            tracker.push(r);
        }
    }
    void push(pipeline::Incident& i) override {
        if (m_request.output == ScoreOutput::ndjson) pipeline::append_incident_json(m_out.buffer(), i);
        else ops::append_ecs_incident(ecs_start(), i, wall_ms());
        m_out.commit();
        if (m_request.observer) m_request.observer->on_incident(i);
        if (i.state == pipeline::Incident::State::closed) summary.add(i);
    }
    pipeline::IncidentTracker tracker;
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
    const pipeline::ScorerStats* stats = nullptr;  // events so far, for the incidents' gap

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

// Notices a rewrite of the model file (its inode, size or time change: writes are atomic
// renames) and hands the verdicts it now holds to the scorer; looked at most once a second, from
// every progress report (idle hook, tick, every 1024 lines), so a live scorer honours
// `logad feedback` within seconds, busy or quiet.
// It also writes back how many records each verdict silenced (feedback.hpp's "silenced"): in one
// batch at most once a minute and at the end, under the lock `logad feedback` takes, so a
// verdict given meanwhile is kept, and never on the scoring path itself.
class VerdictWatch {
public:
    explicit VerdictWatch(std::string path) : m_path(std::move(path)) { changed(); }
    void check(pipeline::Scorer& scorer, std::ostream& err, bool quiet) {
        if (m_path.empty() || Clock::now() - m_checked < std::chrono::seconds(1)) return;
        m_checked = Clock::now();
        if (Clock::now() - m_counted >= std::chrono::minutes(1)) save_counts(scorer, err, false);
        if (!changed()) return;
        try {
            const auto doc = util::load_versioned(m_path, util::k_model_file);
            scorer.replace_feedback(pipeline::Feedback::from_document(doc, m_path));
            if (!quiet) fmt::print(err, "logad score: verdicts reloaded from {}\n", m_path);
        } catch (const Error& e) {
            if (!quiet) fmt::print(err, "logad score: warning: kept the verdicts in force: {}\n", e.what());
        }
    }

    // Adds the counts since the last call to the model file; kept for the next call when the
    // file cannot be changed now (another logad holds it; said once when it cannot be at all).
    void save_counts(pipeline::Scorer& scorer, std::ostream& err, bool at_end) {
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
            if (!m_warned || at_end)
                fmt::print(err, "logad score: warning: could not record in {} how many records the verdicts silenced: {}\n",
                           m_path, e.what());
            m_warned = true;
        }
    }

private:
    bool changed() {
        struct stat st {};
        if (m_path.empty() || ::stat(m_path.c_str(), &st) != 0) return false;
        const auto now = std::make_tuple(st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        const bool differs = now != m_seen;
        m_seen = now;
        return differs;
    }
    std::string m_path;
    std::tuple<ino_t, off_t, time_t, long> m_seen{};
    Clock::time_point m_checked = Clock::now();
    Clock::time_point m_counted = Clock::now();
    std::vector<pipeline::VerdictCount> m_pending;
    bool m_warned = false;
};

int score_logs(const pipeline::PipelineModel& m, const LogScoreRequest& r, std::istream& in, std::ostream& out,
               std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    io::OutputBuffer output(out);
    RecordWriter writer(output, r);
    ops::ObservedSink observed(writer, r.observer);  // metrics and alerts see each record written
    pipeline::ScorerOptions options;
    options.all = r.all;
    options.threads = r.threads;
    options.horizon = r.horizon;
    options.order.tolerance_ms = r.reorder_ms >= 0 ? r.reorder_ms : m.train.reorder_ms;
    pipeline::Scorer scorer(m, options, observed);
    writer.stats = &scorer.stats();
    const auto format = parse::make_format(m.parse.format);
    pipeline::RecordMeter meter(scorer);
    parse::RecordAssembler assembler(*format, meter, m.parse.multiline);
    VerdictWatch verdicts(r.model_path);

    // Event time on a live stream moves with the wall clock between events, so windows close
    // (and silence is noticed) while nothing arrives.
    auto wall_at_last = Clock::now();
    std::int64_t seen_ts = k_no_time;
    auto tick = [&] {
        assembler.release();
        if (scorer.stream_time() != k_no_time) {
            if (scorer.stream_time() != seen_ts) {
                seen_ts = scorer.stream_time();
                wall_at_last = Clock::now();
            }
            const auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - wall_at_last).count();
            scorer.advance_to(seen_ts + quiet);
            writer.tracker.advance_to(seen_ts + quiet);
        }
        scorer.flush();
        output.flush();
    };
    std::uint64_t lines = 0, bad_events = 0;
    // Progress for metrics: lines read, parse failures, events and event time so far.
    const io::LineReader* current = nullptr;
    std::uint64_t truncated = 0;
    auto progress = [&] {
        ops::ScoreProgress p;
        p.lines = lines + (current ? current->line_number() : 0);
        p.truncated = truncated + (current ? current->truncated() : 0);
        p.unparsed = assembler.stats().unparsed;
        p.events = scorer.stats().events;
        p.dropped_keys = scorer.stats().dropped_keys;
        p.clock_jumps = scorer.stats().clock_jumps;
        p.last_event_ms = scorer.last_event_time();
        return p;
    };
    std::vector<std::string> files = input_files(r.logs.parse.files, r.command, err);
    const bool files_reordered = !first && !r.follow && order_by_first_time(files, m.parse.format, in);
    Progress bar("score", files, err, r.progress);
    bool saw_time = false;  // until the first event time: report at every line, so the summary's timeline starts there
    // Does the input fit the model? Judged as figures come in (a live stream never ends) and at
    // the end; said once.
    std::string misfit;
    pipeline::FitProfile events_seen;  // events read from `logad parse` output (they skip the meter)
    events_seen.measured = true;
    auto judge_fit = [&](bool at_end) {
        if (!misfit.empty()) return;
        const auto& ps = assembler.stats();
        pipeline::FitProfile seen = meter.counts();
        seen.measured = true;
        seen.merge(events_seen);
        seen.lines = ps.lines - ps.empty + events_seen.lines;
        // Before the end, only on enough lines that a log's first moments do not decide it.
        if (!at_end && seen.lines < k_fit_lines_live) return;
        seen.unmatched = ps.continuation_lines + ps.unparsed;
        seen.unseen = scorer.stats().unseen;
        misfit = pipeline::misfit(m.fit_profile, seen, format_text(m.parse.format));
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
        writer.tracker.count_events(p.events);  // time moves the tracker only in tick(): a silent stream
        writer.summary.extent(p.last_event_ms, p.lines);
        bar.update(p.lines);
        verdicts.check(scorer, err, r.quiet);  // a busy stream too (at most one stat a second)
    };
    for (const std::string& file : files) {
        auto source = first                        ? std::move(first)
                      : r.follow && file != "-" ? io::open_followed(file)
                                                 : open_log_input(file, in, m.parse.format);
        // A model trained on logs reads logs (or events): the model decides, as `train --input logs`
        // did. A first line that looks like a table is said, in case a table was meant.
        const std::string first_line = io::peek_first_line(source);
        const InputKind kind = io::resolve_input_kind(first_line, io::InputClaim::logs);
        if (input_claim(m.parse.format) == io::InputClaim::guess && io::classify_input(first_line) == InputKind::table)
            fmt::print(err, "logad {}: warning: the first line of {} looks like a numeric table; it is read as logs, "
                            "since the model was trained on logs (a table needs a model trained on a table)\n",
                       r.command, file == "-" ? "stdin" : file);
        bar.next_file(*source);
        if (files.size() > 1) writer.next_file(file);
        io::LineReader reader(*source, m.parse.max_line);
        current = &reader;
        reader.set_idle_hook([&] {
            assembler.release();
            scorer.flush();
            output.flush();
            report();
        });
        reader.set_tick(
            [&] {
                tick();
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
                events_seen.lines += e.record.line_count;
                ++events_seen.records;
                events_seen.max_record_lines = std::max<std::uint64_t>(events_seen.max_record_lines, e.record.line_count);
                events_seen.timed += e.record.has_time();
                events_seen.leveled += e.record.level != Level::unknown;
                scorer.push_event(e);
            }
        } else {
            while (reader.next(line)) {
                writer.lines_read = reader.line_number();
                assembler.push_line(line, reader.line_number());
                if ((reader.line_number() & 1023) == 0 || (!saw_time && reader.line_number() < 1024)) report();
            }
            assembler.release();
        }
        scorer.flush();  // this file's line records go out while it is still the file named in them
        report();
        lines += reader.line_number();
        truncated += reader.truncated();
        current = nullptr;
    }
    assembler.finish();  // pushes the held record and finishes the scorer
    writer.tracker.finish();  // closes the incidents still open
    verdicts.save_counts(scorer, err, true);
    judge_fit(true);
    if (r.misfit) *r.misfit = misfit;
    output.flush();
    if (r.observer) r.observer->finish(progress());
    writer.summary.extent(scorer.last_event_time(), lines);
    bar.clear();
    const auto& stats = scorer.stats();
    if (r.totals) {
        *r.totals = {lines, stats.events, stats.rows, scorer.first_event_time(), scorer.last_event_time(), {}};
        if (files_reordered) r.totals->file_order = file_order_note(files);
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
                   st.rows, writer.anomalies, parts.empty() ? "" : " (" + parts + ")", writer.tracker.opened());
        if (bad_events) fmt::print(err, "logad score: {} input lines were not events and were skipped\n", bad_events);
        if (files_reordered) fmt::print(err, "logad {}: {}\n", r.command, file_order_note(files));
        if (st.clock_jumps)
            fmt::print(err, "logad score: {} records jumped beyond the clock horizon and were placed at the stream's time\n",
                       st.clock_jumps);
        const auto& order = scorer.order_stats();
        const std::string tolerance = util::format_duration_ms(options.order.tolerance_ms);
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
                       order.early, options.order.max_held);
        if (st.dropped_keys)
            fmt::print(err, "logad score: {} session keys not followed (a line held more than {} distinct keys)\n",
                       st.dropped_keys, featurize::SessionKey::k_max_keys_per_line);
        if (r.summary) writer.summary.print(err, color_on(2));
    }
    return r.fail_on_anomaly && writer.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
