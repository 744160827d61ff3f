// score_inputs with threads (analyze/threaded_score.hpp) against one thread: the same records,
// incidents, figures, and the same progress reports and misfit notes at the same lines, for
// block sizes that put records, multiline records and report points across block boundaries.
#include <logad/analyze/score_inputs.hpp>
#include <logad/analyze/threaded_score.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sstream>

using namespace logad;

namespace {

// Everything a scoring run gives out, as text to compare.
struct ThreadedOutcome {
    std::string records, incidents, reports, misfits, figures;
};

struct ThreadedNotes final : analyze::ScoreReadObserver {
    std::string reports, misfits;
    std::size_t told = 0;  // reports so far
    void progress(const pipeline::ScoreProgress& p) override {
        ++told;
        reports += std::to_string(p.lines) + ":" + std::to_string(p.events) + ":" + std::to_string(p.last_event_ms) + " ";
    }
    // A misfit is told in the report that judged it, before its progress.
    void misfit(const std::string& why) override { misfits += "at report " + std::to_string(told + 1) + ": " + why + "\n"; }
};

ThreadedOutcome score_threaded(const pipeline::PipelineModel& model, const std::vector<std::string>& files, int threads,
                   std::size_t block_lines, bool all) {
    analyze::ScoreRequest request;
    request.files = files;
    request.settings.scorer.all = all;
    request.threads = threads;
    request.settings.scorer.threads = threads;
    request.block_lines = block_lines;
    test::Collect<pipeline::ScoreRecord> records;
    test::Collect<pipeline::Incident> incidents;
    ThreadedNotes notes;
    std::istringstream none;
    const analyze::ScoreRun run = analyze::score_inputs(model, request, records, &incidents, none, &notes);
    ThreadedOutcome o;
    for (const auto& r : records.records) pipeline::append_score_json(o.records, r);
    for (const auto& i : incidents.records) pipeline::append_incident_json(o.incidents, i);
    o.reports = notes.reports;
    o.misfits = notes.misfits + run.misfit;
    o.figures = std::to_string(run.progress.lines) + " " + std::to_string(run.progress.unparsed) + " " +
                std::to_string(run.stats.events) + " " + std::to_string(run.stats.rows) + " " +
                std::to_string(run.stats.anomalies) + " " + std::to_string(run.stats.unseen) + " " +
                std::to_string(run.stats.clock_jumps) + " " + std::to_string(run.order.late) + " " +
                std::to_string(run.incidents_opened) + " " + std::to_string(run.first_ms) + " " +
                std::to_string(run.last_ms);
    return o;
}

void require_same_scores_with_threads(const pipeline::PipelineModel& model, const std::vector<std::string>& files, bool all) {
    const ThreadedOutcome one = score_threaded(model, files, 1, 0, all);
    REQUIRE_FALSE(one.reports.empty());
    for (const int threads : {2, 3})
        for (const std::size_t block : {std::size_t(1), std::size_t(3), std::size_t(64)}) {
            INFO("threads " << threads << ", block lines " << block << ", all " << all);
            const ThreadedOutcome many = score_threaded(model, files, threads, block, all);
            CHECK(many.records == one.records);
            CHECK(many.incidents == one.incidents);
            CHECK(many.reports == one.reports);
            CHECK(many.misfits == one.misfits);
            CHECK(many.figures == one.figures);
        }
}

// examples/app.log lines [from, to) with a stack trace under every seventh record, a blank line
// after every eleventh and a stray frame after every 29th; a trace before the first record.
std::string traced_app_part(const std::string& name, std::size_t from, std::size_t to) {
    const auto lines = test::app_log_lines();
    const auto path = test::private_temp(name);
    std::ofstream out(path);
    out << "\tat a.log.that.Starts(WithAFrame.java:1)\n";
    for (std::size_t i = from; i < to && i < lines.size(); ++i) {
        out << lines[i] << '\n';
        if (i % 7 == 0) out << "java.lang.IllegalStateException: retry " << i << "\n    at com.example.Pay.charge(Pay.java:" << i % 97 << ")\n";
        if (i % 11 == 0) out << '\n';
        if (i % 29 == 0) out << "    at com.example.Worker.run(Worker.java:12)\n";
    }
    return path.string();
}

}  // namespace

TEST_CASE("threaded score: two files give what one thread gives, records, incidents and reports",
          "[analyze][threads]") {
    const analyze::TrainResult trained = test::train_on_app_log(900, "threaded-train.log");
    const std::string older = test::app_log_part("threaded-a.log", 900, 1400);
    const std::string newer = test::app_log_part("threaded-b.log", 1400, 1805);
    require_same_scores_with_threads(trained.model, {older, newer}, false);
    require_same_scores_with_threads(trained.model, {older, newer}, true);
}

TEST_CASE("threaded score: multiline records across blocks, with and without multiline", "[analyze][threads]") {
    const std::string train = traced_app_part("threaded-traced-train.log", 0, 900);
    const std::string score = traced_app_part("threaded-traced-score.log", 900, 1805);
    for (const bool multiline : {true, false}) {
        analyze::TrainRequest request;
        request.files = {train};
        request.parse.format.format = test::k_app_format;
        request.parse.multiline = multiline;
        std::istringstream none;
        const analyze::TrainResult trained = analyze::train(request, none);
        INFO("multiline " << multiline);
        require_same_scores_with_threads(trained.model, {score}, true);
    }
}

TEST_CASE("threaded score: a format read in order (auto) gives what one thread gives", "[analyze][threads]") {
    analyze::TrainRequest request;
    request.files = {test::app_log_part("threaded-auto-train.log", 0, 900)};
    request.parse.format.format = "auto";
    std::istringstream none;
    const analyze::TrainResult trained = analyze::train(request, none);
    require_same_scores_with_threads(trained.model, {traced_app_part("threaded-auto-score.log", 900, 1805)}, false);
}

namespace {

// A log of `n` lines: examples/app.log's where `app_line(i)`, a kernel line of another layout
// elsewhere.
std::string mixed_layout_log(const std::string& name, int n, const std::function<bool(int)>& app_line) {
    const auto path = test::private_temp(name);
    std::ofstream out(path);
    const auto lines = test::app_log_lines();
    for (int i = 0; i < n; ++i) {
        if (app_line(i)) out << lines[static_cast<std::size_t>(i) % lines.size()] << '\n';
        else out << "kernel: eth" << i % 4 << " link is up at " << i % 1000 << " Mbps\n";
    }
    return path.string();
}

// One thread's misfit note, reports and records, with 2 threads in blocks of each size.
void require_same_misfit(const pipeline::PipelineModel& model, const std::string& path,
                         std::initializer_list<std::size_t> blocks) {
    const ThreadedOutcome one = score_threaded(model, {path}, 1, 0, false);
    REQUIRE_FALSE(one.misfits.empty());
    for (const std::size_t block : blocks) {
        INFO("block lines " << block);
        const ThreadedOutcome many = score_threaded(model, {path}, 2, block, false);
        CHECK(many.misfits == one.misfits);
        CHECK(many.reports == one.reports);
        CHECK(many.records == one.records);
    }
}

}  // namespace

TEST_CASE("threaded score: a misfit noticed mid-stream is noticed at the same line", "[analyze][threads]") {
    const analyze::TrainResult trained = test::train_on_app_log(900, "threaded-misfit-train.log");
    // A log of another layout, long enough to be judged before its end (every 1024 lines from 2000).
    const std::string log = mixed_layout_log("threaded-misfit.log", 5000, [](int i) { return i % 3 == 0; });
    require_same_misfit(trained.model, log, {8, 64, 1024});
}

TEST_CASE("threaded score: a misfit is judged on the lines up to its report whatever the block size", "[analyze][threads]") {
    // The fit is judged every 1024 lines on the parse figures up to that line: blocks that do
    // not divide 1024 (or are cut short by long lines) still end there.
    const analyze::TrainResult trained = test::train_on_app_log(900, "threaded-misfit-edge-train.log");
    const std::string log = mixed_layout_log("threaded-misfit-edge.log", 6000, [](int i) { return i < 2100; });
    require_same_misfit(trained.model, log, {700, 1000, 1500});
}

TEST_CASE("threaded score: whole files are regular files, not pipes", "[analyze][threads]") {
    std::istringstream none;
    CHECK(analyze::whole_file_input(test::app_log_part("threaded-whole.log", 0, 10), none));
    CHECK_FALSE(analyze::whole_file_input("/dev/null", none));
    CHECK_FALSE(analyze::whole_file_input("-", none));  // not std::cin
    CHECK_FALSE(analyze::whole_file_input(test::private_temp("threaded-missing.log").string(), none));
}
