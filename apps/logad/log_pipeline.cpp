#include "log_pipeline.hpp"

#include "commands.hpp"
#include "miner_state.hpp"
#include "progress.hpp"
#include "score_summary.hpp"
#include "terminal.hpp"

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/pipeline/scorer.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/json_depth.hpp>
#include <logad/util/versioned_file.hpp>
#include <logad/io/paths.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <tuple>

#include <sys/stat.h>

namespace logad::cli {
namespace {

using Clock = std::chrono::steady_clock;

bool looks_numeric_csv(std::string_view line) {
    if (line.empty()) return false;
    for (char c : line)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '.' || c == '-' || c == '+' || c == 'e' ||
              c == 'E' || c == ' ' || c == '\t'))
            return false;
    return true;
}

// `cpu load,latency_ms,errors (%)`: at least two comma-separated names, each short, of one or two
// words, not starting with a digit or a space and without ':' or '='. Log lines fail it: they
// write ", ", run longer, and put a time (log4j: `10:00:00,123`) or numbers after their commas.
bool looks_like_csv_header(std::string_view line) {
    std::size_t fields = 0;
    for (std::size_t start = 0;;) {
        const std::size_t comma = std::min(line.find(',', start), line.size());
        const std::string_view name = line.substr(start, comma - start);
        if (name.empty() || name.size() > 48 || name.front() == ' ' || name.back() == ' ' ||
            std::isdigit(static_cast<unsigned char>(name.front())) || std::count(name.begin(), name.end(), ' ') > 1 ||
            name.find_first_of("\t:=\"") != std::string_view::npos)
            return false;
        ++fields;
        if (comma == line.size()) break;
        start = comma + 1;
    }
    return fields >= 2;
}

std::vector<std::string> input_files(const ParseOptions& p) {
    return io::expand_inputs(p.files.empty() ? std::vector<std::string>{"-"} : p.files);
}

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
    if (!o.key.empty()) featurize::SessionKey check(o.key);  // a bad regex fails before reading
    return t;
}

}  // namespace

InputKind classify_input(std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) return InputKind::logs;
    if (line.front() == '[') return InputKind::table;
    if (line.front() == '{') {
        const auto j = util::json_too_deep(line) ? nlohmann::json() : nlohmann::json::parse(line, nullptr, false);
        if (j.is_object()) {
            if (j.contains("features") || j.contains("feature_space")) return InputKind::table;
            if (j.contains("names") && !j.contains("message")) return InputKind::table;  // a table's header row
            if (j.contains("template_id") && j.contains("message")) return InputKind::events;
        }
        return InputKind::logs;
    }
    if (looks_numeric_csv(line)) return InputKind::table;
    return looks_like_csv_header(line) ? InputKind::table : InputKind::logs;
}

void add_log_options(CLI::App& cmd, LogOptions& o) {
    add_parse_options(cmd, o.parse);
    cmd.add_option("--per", o.per, "granularities for logs: line, window, session (repeatable; default: all that fit)")
        ->check(CLI::IsMember({"line", "window", "session"}));
    cmd.add_option("--window", o.window, "time window length (500ms, 60s, 5m...)")->capture_default_str();
    cmd.add_option("--slide", o.slide, "window step for sliding windows (default: the window length)");
    cmd.add_option("--key", o.key, "session id: a field name (request_id) or an RE2 regex ('blk_-?\\d+')");
    cmd.add_option("--idle", o.idle, "a session ends after this long without events")->capture_default_str();
    cmd.add_option("--max-vocab", o.max_vocab, "template columns in window and session rows")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
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
    std::vector<Event> events;
    std::uint64_t lines = 0, bad_events = 0;
    const auto format = parse::make_format(parse.format);
    Miner mining(miner, events);
    parse::RecordAssembler assembler(*format, mining, parse.multiline);
    const std::vector<std::string> files = input_files(r.logs.parse);
    Progress progress("train", files, err, r.progress);
    for (const std::string& file : files) {
        auto source = first ? std::move(first) : io::open_input(file, in);
        const InputKind kind = classify_input(io::peek_first_line(source));
        if (kind == InputKind::table)
            throw UsageError(fmt::format("{} is a numeric table; give only tables, or only logs", file));
        progress.next_file(*source);
        io::LineReader reader(*source, parse.max_line);
        std::string_view line;
        if (kind == InputKind::events) {
            Event e;
            while (reader.next(line)) {
                if ((++lines & 1023) == 0) progress.update(lines);
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++bad_events;
                    continue;
                }
                events.push_back(std::move(e));
            }
        } else {
            while (reader.next(line)) {
                assembler.push_line(line, reader.line_number());
                if ((reader.line_number() & 1023) == 0) progress.update(lines + reader.line_number());
            }
            assembler.release();
            lines += reader.line_number();
        }
    }
    assembler.finish();
    progress.phase(fmt::format("fitting {} on {} events", r.algo, events.size()));

    std::vector<pipeline::PartSummary> summary;
    const pipeline::PipelineModel m =
        pipeline::PipelineModel::fit(std::move(parse), std::move(settings), std::move(miner), events, summary);
    m.save(r.output);
    progress.clear();
    if (!r.quiet) {
        const auto& s = assembler.stats();
        fmt::print(err, "logad train: {} lines, {} records ({} continuation lines, {} unparsed), {} templates\n",
                   lines, events.size(), s.continuation_lines, s.unparsed, m.space.templates.size());
        if (bad_events) fmt::print(err, "logad train: {} input lines were not events and were skipped\n", bad_events);
        for (const auto& p : summary)
            fmt::print(err, "logad train: {:<7} {} rows x {} features, {} threshold {:.6g} ({})\n",
                       featurize::granularity_name(p.per), p.rows, p.features, m.train.algo, p.threshold,
                       m.train.rule.to_string());
        fmt::print(err, "logad train: signals from {} windows of {} ms{}; saved {} in {:.2f} s\n", m.baseline.windows,
                   m.baseline.window_ms,
                   m.baseline.key.empty() ? "" : fmt::format(" and {} sessions", m.baseline.sessions), r.output,
                   std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return k_exit_ok;
}

namespace {

class RecordWriter final : public Sink<pipeline::ScoreRecord> {
public:
    RecordWriter(io::OutputBuffer& out, const std::vector<Sink<pipeline::ScoreRecord>*>& also) : m_out(out), m_also(also) {}
    void push(pipeline::ScoreRecord& r) override {
        if (r.per == "line" && r.file.empty()) r.file = file;
        pipeline::append_score_json(m_out.buffer(), r);
        m_out.commit();
        for (auto* sink : m_also) sink->push(r);
        if (r.anomaly) {
            ++anomalies;
            ++by_detector[r.detector];
            summary.add(r);
        }
    }
    std::uint64_t anomalies = 0;
    std::map<std::string, std::uint64_t> by_detector;
    ScoreSummary summary;
    std::string file;  // the input being read, named in line records when there are several

private:
    io::OutputBuffer& m_out;
    const std::vector<Sink<pipeline::ScoreRecord>*>& m_also;
};

}  // namespace

// Notices a rewrite of the model file (its inode, size or time change: writes are atomic
// renames) and hands the verdicts it now holds to the scorer; looked at most once a second, from
// every progress report (idle hook, tick, every 1024 lines), so a live scorer honours
// `logad feedback` within seconds, busy or quiet.
class VerdictWatch {
public:
    explicit VerdictWatch(std::string path) : m_path(std::move(path)) { changed(); }
    void check(pipeline::Scorer& scorer, std::ostream& err, bool quiet) {
        if (m_path.empty() || Clock::now() - m_checked < std::chrono::seconds(1)) return;
        m_checked = Clock::now();
        if (!changed()) return;
        try {
            const auto doc = util::load_versioned(m_path, {"logad-model", 1, 1});
            scorer.replace_feedback(pipeline::Feedback::from_document(doc, m_path));
            if (!quiet) fmt::print(err, "logad score: verdicts reloaded from {}\n", m_path);
        } catch (const Error& e) {
            if (!quiet) fmt::print(err, "logad score: warning: kept the verdicts in force: {}\n", e.what());
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
};

int score_logs(const pipeline::PipelineModel& m, const LogScoreRequest& r, std::istream& in, std::ostream& out,
               std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    io::OutputBuffer output(out);
    RecordWriter writer(output, r.also);
    ops::ObservedSink observed(writer, r.observer);  // metrics and alerts see each record written
    pipeline::Scorer scorer(m, {r.all, r.threads, r.horizon}, observed);
    const auto format = parse::make_format(m.parse.format);
    parse::RecordAssembler assembler(*format, scorer, m.parse.multiline);
    VerdictWatch verdicts(r.model_path);

    // Event time on a live stream moves with the wall clock between events, so windows close
    // (and silence is noticed) while nothing arrives.
    auto wall_at_last = Clock::now();
    std::int64_t seen_ts = k_no_time;
    auto tick = [&] {
        assembler.release();
        if (scorer.last_event_time() != k_no_time) {
            if (scorer.last_event_time() != seen_ts) {
                seen_ts = scorer.last_event_time();
                wall_at_last = Clock::now();
            }
            const auto quiet = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - wall_at_last).count();
            scorer.advance_to(seen_ts + quiet);
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
    const std::vector<std::string> files = input_files(r.logs.parse);
    Progress bar("score", files, err, r.progress);
    bool saw_time = false;  // until the first event time: report at every line, so the summary's timeline starts there
    auto report = [&] {
        const ops::ScoreProgress p = progress();
        saw_time = p.last_event_ms != k_no_time;
        if (r.observer) r.observer->on_progress(p);
        writer.summary.extent(p.last_event_ms, p.lines);
        bar.update(p.lines);
        verdicts.check(scorer, err, r.quiet);  // a busy stream too (at most one stat a second)
    };
    for (const std::string& file : files) {
        auto source = first ? std::move(first) : r.follow && file != "-" ? io::open_followed(file) : io::open_input(file, in);
        const InputKind kind = classify_input(io::peek_first_line(source));
        if (kind == InputKind::table)
            throw UsageError(fmt::format("{} is a numeric table, but the model was trained on logs", file));
        bar.next_file(*source);
        if (files.size() > 1) writer.file = file;
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
                if ((reader.line_number() & 1023) == 0 || (!saw_time && reader.line_number() < 1024)) report();
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++bad_events;
                    continue;
                }
                scorer.push_event(e);
            }
        } else {
            while (reader.next(line)) {
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
    output.flush();
    if (r.observer) r.observer->finish(progress());
    writer.summary.extent(scorer.last_event_time(), lines);
    bar.clear();
    if (!r.quiet) {
        const auto& st = scorer.stats();
        std::string parts;
        for (const auto& [name, n] : writer.by_detector) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", n, name);
        fmt::print(err, "logad score: {} lines, {} events, {} rows scored, {} anomalies{}\n", lines, st.events, st.rows,
                   writer.anomalies, parts.empty() ? "" : " (" + parts + ")");
        if (bad_events) fmt::print(err, "logad score: {} input lines were not events and were skipped\n", bad_events);
        if (st.clock_jumps)
            fmt::print(err, "logad score: {} records jumped beyond the clock horizon and were placed at the stream's time\n",
                       st.clock_jumps);
        if (st.dropped_keys)
            fmt::print(err, "logad score: {} session keys not followed (a line held more than {} distinct keys)\n",
                       st.dropped_keys, featurize::SessionKey::k_max_keys_per_line);
        if (r.summary) writer.summary.print(err, color_on(2));
    }
    return r.fail_on_anomaly && writer.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
