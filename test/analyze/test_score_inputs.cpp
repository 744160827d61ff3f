// analyze::score_inputs: log files read into a LogScorer, oldest first, records named by their
// file, the figures at the end, and what the observer is told (the library prints nothing).
#include <logad/analyze/score_inputs.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

using namespace logad;

namespace {

// Remembers what a scoring run told it.
struct RunNotes final : analyze::ScoreReadObserver {
    std::vector<std::string> files, tables, misfits;
    std::uint64_t reports = 0, last_lines = 0;
    void next_file(const io::ByteSource& source) override { files.push_back(source.name()); }
    void table_read_as_logs(const std::string& file) override { tables.push_back(file); }
    void progress(const pipeline::ScoreProgress& p) override {
        ++reports;
        CHECK(p.lines >= last_lines);  // never goes back
        last_lines = p.lines;
    }
    void misfit(const std::string& why) override { misfits.push_back(why); }
};

}  // namespace

TEST_CASE("score inputs: files given newest first are read oldest first, each record named by its file",
          "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(900);
    const std::string older = test::app_log_part("score-inputs-a.log", 900, 1400);
    const std::string newer = test::app_log_part("score-inputs-b.log", 1400, 1805);
    analyze::ScoreRequest request;
    request.files = {newer, older};
    request.settings.scorer.all = true;
    test::Collect<pipeline::ScoreRecord> records;
    test::Collect<pipeline::Incident> incidents;
    RunNotes notes;
    std::istringstream none;
    const analyze::ScoreRun run = analyze::score_inputs(trained.model, request, records, &incidents, none, &notes);

    CHECK(run.files_reordered);
    CHECK(run.files == std::vector<std::string>{older, newer});
    CHECK(notes.files == run.files);
    CHECK(run.progress.lines == 905);
    CHECK(run.stats.events > 0);
    CHECK(run.first_ms < run.last_ms);
    CHECK(run.misfit.empty());
    CHECK(notes.misfits.empty());
    CHECK(notes.reports > 2);
    CHECK(notes.last_lines == run.progress.lines);
    // Line records carry the file they came from, numbered from 1 in each.
    const auto lines_of = [&](const std::string& file) {
        return std::count_if(records.records.begin(), records.records.end(),
                             [&](const auto& r) { return r.per == "line" && r.file == file; });
    };
    CHECK(lines_of(older) > 0);
    CHECK(lines_of(newer) > 0);
    CHECK(std::all_of(records.records.begin(), records.records.end(), [](const auto& r) { return !r.file.empty(); }));
    const auto refused = std::find_if(records.records.begin(), records.records.end(), [](const auto& r) {
        return r.anomaly && r.message.find("connection refused") != std::string::npos;
    });
    REQUIRE(refused != records.records.end());
    CHECK(refused->file == older);
    CHECK(refused->first_line <= 500);
    REQUIRE_FALSE(incidents.records.empty());
    CHECK(run.incidents_opened >= 1);
}

TEST_CASE("score inputs: the same scores from stdin as from the file, with no file named", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(900);
    const std::string part = test::app_log_part("score-inputs-c.log", 900, 1805);
    analyze::ScoreRequest request;
    request.files = {part};
    test::Collect<pipeline::ScoreRecord> from_file;
    std::istringstream none;
    analyze::score_inputs(trained.model, request, from_file, nullptr, none);

    std::ostringstream text;
    for (const auto& line : test::app_log_lines()) text << line << '\n';
    std::istringstream all_lines(text.str());
    request.files = {"-"};
    test::Collect<pipeline::ScoreRecord> from_stdin;
    const analyze::ScoreRun run = analyze::score_inputs(trained.model, request, from_stdin, nullptr, all_lines);
    CHECK_FALSE(run.files_reordered);
    CHECK(run.progress.lines == 1805);
    REQUIRE_FALSE(from_stdin.records.empty());
    CHECK(from_stdin.records.front().file.empty());  // one input: records name no file
    CHECK(std::any_of(from_file.records.begin(), from_file.records.end(), [](const auto& r) { return r.anomaly; }));
}

TEST_CASE("score inputs: another kind of log is told as a misfit once, and returned", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(900);
    analyze::ScoreRequest request;
    request.files = {std::string(LOGAD_SOURCE_DIR) + "/examples/formats/openstack.log"};
    test::Collect<pipeline::ScoreRecord> records;
    RunNotes notes;
    std::istringstream none;
    const analyze::ScoreRun run = analyze::score_inputs(trained.model, request, records, nullptr, none, &notes);
    REQUIRE_FALSE(run.misfit.empty());
    REQUIRE(notes.misfits.size() == 1);
    CHECK(notes.misfits.front() == run.misfit);
}

TEST_CASE("score inputs: a table-like first line is told and still read as logs, and events of parse are read too",
          "[analyze]") {
    analyze::TrainRequest train;
    train.files = {test::app_log_part("score-inputs-auto.log", 0, 900)};  // --format auto: a guess
    std::istringstream nothing;
    const analyze::TrainResult trained = analyze::train(train, nothing);
    analyze::ScoreRequest request;
    request.files = {"-"};
    test::Collect<pipeline::ScoreRecord> records;
    RunNotes notes;
    std::istringstream table("1.0,2.0,3.0\n4.0,5.0,6.0\n");
    const analyze::ScoreRun run = analyze::score_inputs(trained.model, request, records, nullptr, table, &notes);
    CHECK(notes.tables == std::vector<std::string>{"stdin"});
    CHECK(run.progress.lines == 2);

    std::istringstream events(R"({"line":1,"ts":"2026-11-20T09:00:00.136Z","level":"info","message":"x","template_id":1,"template":"x","params":[]})"
                              "\nnot an event\n");
    const analyze::ScoreRun from_events = analyze::score_inputs(trained.model, request, records, nullptr, events);
    CHECK(from_events.bad_events == 1);
    CHECK(from_events.stats.events == 1);
}
