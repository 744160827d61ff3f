// The HTML report holds the figures of its records and escapes all log text.
#include <logad/present/report_html.hpp>

#include <logad/pipeline/score_record.hpp>

#include <catch2/catch.hpp>

#include "../support/support.hpp"

#include <string>

namespace {

// A line record as `logad score` writes it, added to `d`.
void add_line_record(logad::pipeline::ReportData& d, std::uint64_t line, std::int64_t at_ms, double score, bool anomaly,
                     const std::string& message) {
    logad::pipeline::ScoreRecord r;
    r.per = "line";
    r.detector = "iforest";
    r.score = score;
    r.threshold = 0.5;
    r.anomaly = anomaly;
    r.first_line = r.last_line = line;
    r.start_ms = r.end_ms = at_ms;
    r.template_id = 7;
    r.template_text = "Disk <*> full";
    r.message = message;
    if (anomaly) r.reasons = {"a <new> template"};
    std::string json;
    logad::pipeline::append_score_json(json, r);
    if (!json.empty() && json.back() == '\n') json.pop_back();
    REQUIRE(d.add_record(json));
}

}  // namespace

TEST_CASE("the HTML report shows the counts, the anomalies with their reasons, and escapes log text", "[present][report]") {
    const std::int64_t t0 = 1'763'629'200'000;  // 2025-11-20 09:00:00 UTC
    logad::pipeline::ReportData d;
    add_line_record(d, 3, t0, 0.9, true, "Disk <sda1> full & done");
    add_line_record(d, 4, t0 + 1000, 0.1, false, "Disk sdb full");
    const std::string html = logad::present::render_report_html(d, "night <run>");
    CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n"));
    CHECK_THAT(html, Catch::Contains("<title>night &lt;run&gt;</title>"));
    CHECK_THAT(html, Catch::Contains("<span>2 rows scored</span><span>1 anomalies (1 iforest)</span>"));
    CHECK_THAT(html, Catch::Contains("<span>2025-11-20T09:00:00Z .. 2025-11-20T09:00:01Z</span>"));
    CHECK_THAT(html, Catch::Contains("<h2>Top anomalies (1 shown)</h2>"));
    CHECK_THAT(html, Catch::Contains("<li>a &lt;new&gt; template</li>"));
    CHECK_THAT(html, Catch::Contains("<code>Disk &lt;sda1&gt; full &amp; done</code>"));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<sda1>") == std::string::npos);
    CHECK(logad::test::occurrences(html, "class=\"anomaly\"") == 1);  // one red dot in the score chart
    CHECK(logad::test::occurrences(html, "class=\"normal\"") == 1);
}

TEST_CASE("an HTML report without anomalies says so", "[present][report]") {
    logad::pipeline::ReportData d;
    add_line_record(d, 1, logad::k_no_time, 0.1, false, "ok");
    const std::string html = logad::present::render_report_html(d, "t");
    CHECK_THAT(html, Catch::Contains("<p>No anomalies.</p>"));
    CHECK_THAT(html, Catch::Contains("<span>line 1 .. line 1</span>"));
}
