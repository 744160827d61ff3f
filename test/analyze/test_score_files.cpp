// analyze::evaluate_files and read_report_input: what `logad score` wrote, read back from files
// and judged against labels or gathered for the report; a line that is no record named by file:line.
#include <logad/analyze/score_files.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/score_record.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../support/support.hpp"

using namespace logad;

namespace {

// Line records for lines 1..10 of an iforest scorer: lines 3, 5 and 7 anomalous.
std::string score_file(const std::string& name, const std::string& extra = {}) {
    std::string out;
    for (std::uint64_t line = 1; line <= 10; ++line) {
        pipeline::ScoreRecord r;
        r.per = "line";
        r.detector = "iforest";
        r.first_line = r.last_line = line;
        r.threshold = 0.6;
        r.anomaly = line == 3 || line == 5 || line == 7;
        r.score = r.anomaly ? 0.7 + 0.01 * static_cast<double>(line) : 0.5;
        pipeline::append_score_json(out, r);  // with its newline
    }
    const auto path = test::private_temp(name);
    std::ofstream(path) << out << extra;
    return path.string();
}

std::string labels_file() {
    const auto path = test::private_temp("labels.csv");
    std::ofstream out(path);
    out << "line,label\n";
    for (int line = 1; line <= 10; ++line) out << line << ',' << (line == 3 || line == 7 ? "Anomaly" : "Normal") << '\n';
    return path.string();
}

}  // namespace

TEST_CASE("evaluate files: line records against line labels", "[analyze]") {
    analyze::EvalRequest request;
    request.labels = labels_file();
    request.files = {score_file("scores.ndjson")};
    std::istringstream none;
    const pipeline::EvalResult r = analyze::evaluate_files(request, none);
    CHECK(r.by_line);
    CHECK(r.items == 10);
    CHECK(r.counts.tp == 2);
    CHECK(r.counts.fp == 1);
    CHECK(r.counts.fn == 0);
    CHECK(r.counts.tn == 7);
}

TEST_CASE("evaluate files: a line that is no score record is refused with its file and line", "[analyze]") {
    analyze::EvalRequest request;
    request.labels = labels_file();
    const std::string path = score_file("damaged.ndjson", "{\"not\":\"a record\"\n");
    request.files = {path};
    std::istringstream none;
    try {
        analyze::evaluate_files(request, none);
        FAIL("a damaged line was accepted");
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(std::string(e.what()).find(path + ":11") != std::string::npos);
    }
}

TEST_CASE("report input: records counted, other lines skipped, nothing to report refused", "[analyze]") {
    std::istringstream none;
    const analyze::ReportInput in = analyze::read_report_input({score_file("report.ndjson", "plain text\n")}, {}, none);
    CHECK(in.data.records == 10);
    CHECK(in.data.anomalies == 3);
    CHECK(in.skipped == 1);
    const auto empty = test::private_temp("empty.ndjson");
    std::ofstream(empty) << "";
    CHECK_THROWS_AS(analyze::read_report_input({empty.string()}, {}, none), InputError);
}
