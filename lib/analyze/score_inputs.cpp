#include <logad/analyze/score_inputs.hpp>

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/threaded_parse.hpp>
#include <logad/analyze/threaded_score.hpp>
#include <logad/event_json.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/pipeline/input_fit.hpp>
#include <logad/util/parallel.hpp>

#include <chrono>

namespace logad::analyze {
namespace {

constexpr std::uint64_t k_score_fit_lines_live = 2000;  // lines read before a live stream's fit is judged

// Names each record by the input it came from, when there are several; line numbers restart in
// each. A window or session record can come out just after the next input began (it closes at a
// later event): a first line past what this input has read so far is the previous input's.
class InputNamer final : public Sink<pipeline::ScoreRecord> {
public:
    explicit InputNamer(Sink<pipeline::ScoreRecord>& next) : m_next(next) {}
    void push(pipeline::ScoreRecord& r) override {
        if (r.file.empty())
            r.file = r.per != "line" && r.first_line > lines_read && !m_previous.empty() ? m_previous : m_file;
        m_next.push(r);
    }
    void finish() override { m_next.finish(); }
    void next_file(const std::string& name) {
        m_previous = m_file;
        m_file = name;
        lines_read = 0;
    }
    std::uint64_t lines_read = 0;  // of the current input, kept current by the reading loop

private:
    Sink<pipeline::ScoreRecord>& m_next;
    std::string m_file, m_previous;
};

// One scoring run: the state the reading loop and its hooks share.
class ScoreLoop {
public:
    ScoreLoop(const pipeline::PipelineModel& model, const ScoreRequest& request, Sink<pipeline::ScoreRecord>& records,
              Sink<pipeline::Incident>* incidents, ScoreReadObserver* observer)
        : m_model(model),
          m_request(request),
          m_namer(records),
          m_scoring(model, request.settings, m_namer, incidents),
          m_observer(observer),
          m_verdicts(request.model_path, [observer](VerdictWatch::Note note, const std::string& detail) {
              if (observer) observer->verdicts(note, detail);
          }) {}

    ScoreRun run(std::istream& in, std::unique_ptr<io::ByteSource> first) {
        ScoreRun result;
        result.files = m_request.files;
        result.files_reordered =
            !first && !m_request.follow && order_by_first_time(result.files, m_model.parse.format, in);
        for (const std::string& file : result.files) {
            // Blocks on several threads for a whole file (not live input, nor one the caller opened).
            const bool whole = !first && !m_request.follow && whole_file_input(file, in);
            auto source = first                                  ? std::move(first)
                          : m_request.follow && file != "-" ? io::open_followed(file)
                                                            : open_log_input(file, in, m_model.parse.format);
            read_input(file, std::move(source), result.files.size() > 1, whole, result.bad_events);
        }
        m_scoring.finish();  // scores the held record, closes the incidents still open
        m_verdicts.save_counts(m_scoring.scorer(), true);
        judge_fit(true);
        pipeline::Scorer& scorer = m_scoring.scorer();
        result.progress = progress();
        result.stats = scorer.stats();
        result.order = scorer.order_stats();
        result.first_ms = scorer.first_event_time();
        result.last_ms = scorer.last_event_time();
        result.incidents_opened = m_scoring.incidents_opened();
        if (m_model.miner) result.templates_forgotten = scorer.miner().stats().evicted - m_model.miner->stats().evicted;
        result.reorder_ms = m_scoring.reorder_ms();
        result.misfit = m_misfit;
        return result;
    }

private:
    void read_input(const std::string& file, std::unique_ptr<io::ByteSource> source, bool named, bool whole,
                    std::uint64_t& bad_events) {
        // A model trained on logs reads logs (or events): the model decides, as `train --input
        // logs` did. A first line that looks like a table is told, in case a table was meant.
        const std::string first_line = io::peek_first_line(source);
        const io::InputKind kind = io::resolve_input_kind(first_line, io::InputClaim::logs);
        if (m_observer && input_claim(m_model.parse.format) == io::InputClaim::guess &&
            io::classify_input(first_line) == io::InputKind::table)
            m_observer->table_read_as_logs(file == "-" ? "stdin" : file);
        if (m_observer) m_observer->next_file(*source);
        if (named) m_namer.next_file(file);
        io::LineReader reader(*source, m_model.parse.max_line);
        const int requested = m_request.threads;
        const int threads = requested > 0 ? requested : util::available_cores();
        if (whole && threads > 1 && kind != io::InputKind::events) {
            read_in_blocks(reader, threads);
            return;
        }
        m_reader = &reader;
        reader.set_idle_hook([&] {
            m_scoring.flush();
            pause();
        });
        reader.set_tick(
            [&] {
                m_scoring.tick(std::chrono::steady_clock::now());
                pause();
            },
            1000);
        // Until the first event time, reported at every line, so a timeline starts there.
        auto due = [&] { return due_at(reader.line_number()); };
        std::string_view line;
        if (kind == io::InputKind::events) {
            Event e;
            while (reader.next(line)) {
                m_namer.lines_read = reader.line_number();
                if (due()) report();
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++bad_events;
                    continue;
                }
                m_scoring.push_event(e);
            }
        } else {
            while (reader.next(line)) {
                m_namer.lines_read = reader.line_number();
                m_scoring.push_line(line, reader.line_number());
                if (due()) report();
            }
            m_scoring.end_of_input();
        }
        m_scoring.scorer().flush();  // this input's line records go out while it is still the one named in them
        report();
        m_lines += reader.line_number();
        m_truncated += reader.truncated();
        m_reader = nullptr;
    }

    // Progress is reported every k_score_report_lines lines, and at every line until the first
    // event time, so a timeline starts there.
    bool due_at(std::uint64_t line) const {
        return line % k_score_report_lines == 0 || (!m_saw_time && line < k_score_report_lines);
    }

    // A whole file on `threads` threads (threaded_score.hpp): the hooks run per line as above,
    // on whichever thread scores, one at a time; the reader is the blocks' (m_reader stays null).
    void read_in_blocks(io::LineReader& reader, int threads) {
        if (!m_blocks) {
            ThreadedScoreOptions options;
            options.threads = threads;
            if (m_request.block_lines) options.block_lines = m_request.block_lines;
            m_blocks = std::make_unique<ThreadedScoreReader>(m_model, m_scoring, options);
        }
        ScoreLineHooks hooks;
        hooks.reading = [this](std::uint64_t line) {
            m_namer.lines_read = line;
            m_block_line = line;
        };
        hooks.read = [this](std::uint64_t line) {
            if (due_at(line)) report();
        };
        hooks.due = [this](std::uint64_t line) {
            if (!m_saw_time && line < k_score_report_lines) return line;
            return (line + k_score_report_lines - 1) / k_score_report_lines * k_score_report_lines;
        };
        m_blocks->score_input(reader, hooks);
        m_scoring.end_of_input();
        m_scoring.scorer().flush();
        m_block_line = 0;
        m_lines += reader.line_number();
        m_truncated += reader.truncated();
        report();
    }

    void pause() {
        if (m_observer) m_observer->paused();
        report();
    }

    pipeline::ScoreProgress progress() {
        const pipeline::Scorer& scorer = m_scoring.scorer();
        pipeline::ScoreProgress p;
        p.lines = m_lines + (m_reader ? m_reader->line_number() : m_block_line);
        p.truncated = m_truncated + (m_reader ? m_reader->truncated() : 0);
        p.unparsed = m_scoring.parse_stats().unparsed;
        p.events = scorer.stats().events;
        p.dropped_keys = scorer.stats().dropped_keys;
        p.clock_jumps = scorer.stats().clock_jumps;
        p.last_event_ms = scorer.last_event_time();
        return p;
    }

    void report() {
        judge_fit(false);
        const pipeline::ScoreProgress p = progress();
        m_saw_time = p.last_event_ms != k_no_time;
        if (m_observer) m_observer->progress(p);
        m_scoring.count_events();  // time moves the incidents only in tick(): a silent stream
        m_verdicts.check(m_scoring.scorer());  // a busy stream too (at most one stat a second)
    }

    // Judged as figures come in (a live stream never ends) and at the end; told once.
    void judge_fit(bool at_end) {
        if (!m_misfit.empty()) return;
        const pipeline::FitProfile seen = m_scoring.fit_seen();
        if (!at_end && seen.lines < k_score_fit_lines_live) return;
        m_misfit = pipeline::misfit(m_model.fit_profile, seen, format_text(m_model.parse.format));
        if (!m_misfit.empty() && m_observer) m_observer->misfit(m_misfit);
    }

    const pipeline::PipelineModel& m_model;
    const ScoreRequest& m_request;
    InputNamer m_namer;
    LogScorer m_scoring;
    ScoreReadObserver* m_observer;
    VerdictWatch m_verdicts;
    const io::LineReader* m_reader = nullptr;  // the input being read line by line
    std::unique_ptr<ThreadedScoreReader> m_blocks;  // made at the first input read in blocks
    std::uint64_t m_block_line = 0;  // the line the blocks' hooks are at
    std::uint64_t m_lines = 0, m_truncated = 0;  // of the inputs read to their end
    bool m_saw_time = false;
    std::string m_misfit;
};

}  // namespace

ScoreRun score_inputs(const pipeline::PipelineModel& model, const ScoreRequest& request,
                      Sink<pipeline::ScoreRecord>& records, Sink<pipeline::Incident>* incidents, std::istream& in,
                      ScoreReadObserver* observer, std::unique_ptr<io::ByteSource> source) {
    ScoreLoop loop(model, request, records, incidents, observer);
    return loop.run(in, std::move(source));
}

}  // namespace logad::analyze
