#include <logad/analyze/threaded_score.hpp>

#include <logad/analyze/threaded_parse.hpp>
#include <logad/pipeline/line_preparer.hpp>

#include <algorithm>
#include <deque>
#include <utility>


namespace logad::analyze {

struct ThreadedScoreReader::Impl {
    Impl(const pipeline::PipelineModel& model, LogScorer& scorer_, ThreadedScoreOptions options)
        : scorer(scorer_),
          multiline(model.parse.multiline),
          parser(model.parse.format, scorer_.scorer().miner(),
                 ThreadedParseOptions{.threads = options.threads,
                                      .block_lines = options.block_lines,
                                      .multiline = model.parse.multiline,
                                      .block_ends_every = k_score_report_lines}),
          preparer(scorer_.scorer().make_line_preparer()),
          prepared(parser.slots()) {
        if (preparer)
            for (int w = 0; w < std::max(options.threads, 1); ++w) keys.push_back(preparer->make_keys());
    }

    LogScorer& scorer;
    bool multiline;
    ThreadedParser parser;
    std::unique_ptr<pipeline::LinePreparer> preparer;  // null: the scorer makes the rows
    std::vector<std::vector<pipeline::PreparedLine>> prepared;  // by slot, by event
    std::vector<std::unique_ptr<pipeline::LineKeys>> keys;      // by worker

    // The prepare step (in order, a block ahead of the score step).
    void prepare_block(std::size_t slot, LearntBlock& b) {
        std::vector<pipeline::PreparedLine>& lines = prepared[slot];
        if (lines.size() < b.count) lines.resize(b.count);
        for (std::size_t i = 0; i < b.count; ++i) preparer->prepare(b.events[i], lines[i]);
    }
    // The key step (parallel): the rows' memo keys.
    void key_block(std::size_t slot, int worker, const LearntBlock& b) {
        pipeline::LineKeys& maker = *keys[static_cast<std::size_t>(worker)];
        std::vector<pipeline::PreparedLine>& lines = prepared[slot];
        for (std::size_t i = 0; i < b.count; ++i) maker.make(lines[i]);
    }

    // One input's state, in input order (the score step).
    const ScoreLineHooks* hooks = nullptr;
    std::uint64_t started = 0;   // the last line whose `reading` hook ran
    std::uint64_t next_due = 0;  // the next line whose `read` hook is due (asked after each)
    std::uint64_t last_line = 0;  // of the input so far
    Event held;                 // multiline: the block's last record, complete at a later line
    pipeline::PreparedLine held_prepared;
    bool have_held = false;
    struct Snapshot {
        std::uint64_t end_line;
        parse::ParseStats stats;
    };
    std::deque<Snapshot> snapshots;  // of blocks whose last line is not yet read by the hooks
    parse::ParseStats parsed;        // the figures in force for the hooks

    // The `read` hook of `line`, with the parse figures of the block ends up to it.
    void read(std::uint64_t line) {
        bool newer = false;
        while (!snapshots.empty() && snapshots.front().end_line <= line) {
            parsed = snapshots.front().stats;
            snapshots.pop_front();
            newer = true;
        }
        if (newer) scorer.set_parsed_elsewhere(parsed);
        hooks->read(line);
        next_due = due(line + 1);
    }
    std::uint64_t due(std::uint64_t line) const { return hooks->due ? hooks->due(line) : line; }
    // The `read` hooks due before `until` (with `reading` first when the line had none), in order.
    void read_before(std::uint64_t until) {
        while (next_due < until) {
            if (next_due > started) hooks->reading(next_due);
            read(next_due);
        }
    }
    // The hooks due before `line`, then its `reading` hook: the records it completes go next.
    void reach(std::uint64_t line) {
        if (line <= started) return;
        read_before(line);
        hooks->reading(line);
        started = line;
    }
    // Every line's hooks up to `line`.
    void read_through(std::uint64_t line) { read_before(line + 1); }
    void push(Event& e, pipeline::PreparedLine& p, std::uint64_t completed_at) {
        reach(completed_at);
        send(e, p);
    }
    void send(Event& e, pipeline::PreparedLine& p) {
        if (preparer) scorer.push_prepared(e, p);
        else scorer.push_learnt(e);
    }
    static std::uint64_t last_physical_line(const Event& e) { return e.record.line + e.record.line_count - 1; }

    void score_block(std::size_t slot, LearntBlock& b) {
        if (b.last_line != 0) {
            last_line = b.last_line;
            snapshots.push_back({b.last_line, b.stats});
        }
        std::vector<pipeline::PreparedLine>& lines = prepared[slot];
        if (!preparer && lines.size() < b.count) lines.resize(b.count);  // empty ones, unused
        for (std::size_t i = 0; i < b.count; ++i) {
            Event& e = b.events[i];
            if (!multiline) {
                push(e, lines[i], last_physical_line(e));
                continue;
            }
            // A record is complete at the next record's first line; the block's last is held for it.
            if (have_held) push(held, held_prepared, e.record.line);
            have_held = false;
            if (i + 1 < b.count) {
                push(e, lines[i], b.events[i + 1].record.line);
                continue;
            }
            std::swap(held, e);
            std::swap(held_prepared, lines[i]);
            have_held = true;
        }
        if (b.input_end) {
            read_through(last_line);
            if (have_held) send(held, held_prepared);  // as LogScorer::end_of_input
            have_held = false;
        }
    }
};

ThreadedScoreReader::ThreadedScoreReader(const pipeline::PipelineModel& model, LogScorer& scorer,
                                         ThreadedScoreOptions options)
    : m_impl(std::make_unique<Impl>(model, scorer, options)) {}

ThreadedScoreReader::~ThreadedScoreReader() = default;

void ThreadedScoreReader::score_input(io::LineReader& reader, const ScoreLineHooks& hooks) {
    Impl& impl = *m_impl;
    impl.hooks = &hooks;
    impl.started = impl.last_line = 0;
    impl.next_due = impl.due(1);
    impl.have_held = false;
    impl.snapshots.clear();
    impl.parsed = impl.parser.stats();  // the inputs before
    impl.scorer.set_parsed_elsewhere(impl.parsed);
    std::vector<LearntStep> steps;
    if (impl.preparer) {
        steps.push_back({[&impl](std::size_t slot, int, LearntBlock& b) { impl.prepare_block(slot, b); }, true});
        steps.push_back({[&impl](std::size_t slot, int worker, LearntBlock& b) { impl.key_block(slot, worker, b); }, false});
    }
    steps.push_back({[&impl](std::size_t slot, int, LearntBlock& b) { impl.score_block(slot, b); }, true});
    impl.parser.run_input(reader, steps);
    impl.scorer.set_parsed_elsewhere(impl.parser.stats());
    impl.hooks = nullptr;
}

}  // namespace logad::analyze
