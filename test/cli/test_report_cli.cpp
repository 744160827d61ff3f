// `logad report` on what `logad score` writes by default: incidents, not only anomaly records.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <fmt/core.h>

#include "../support/support.hpp"

using logad::test::run_logad;

TEST_CASE("report draws the incidents of the default score output, largest first, with reasons and examples", "[cli]") {
    const std::string model = logad::test::temp_path("report-incidents-model.json");
    const std::string train = logad::test::write_temp("report-incidents-train.log", logad::test::example_log(0, 1000));
    const std::string test = logad::test::write_temp("report-incidents-test.log", logad::test::example_log(1000, 1000));
    REQUIRE(run_logad({"train", "-q", "-o", model, train}).status == 0);
    const auto scored = run_logad({"score", "-q", "-m", model, test});
    REQUIRE(scored.status <= 1);
    const std::size_t closed = logad::test::occurrences(scored.out, "\"state\":\"closed\"");
    REQUIRE(closed > 0);
    REQUIRE(logad::test::occurrences(scored.out, "\"per\":\"incident\"") == 2 * closed);  // each opened and closed

    const auto report = run_logad({"report"}, scored.out);
    REQUIRE(report.status == 0);
    CHECK_THAT(report.out, Catch::Contains(fmt::format("<h2>Incidents ({0} of {0} shown)</h2>", closed)));
    CHECK_THAT(report.out, Catch::Contains(fmt::format("<span>{} incidents</span>", closed)));
    CHECK_THAT(report.out, Catch::Contains("connection refused"));  // an example line of the new error
    CHECK_THAT(report.err, Catch::Contains(fmt::format("logad report: {} incidents", closed)));
    // Only open records (a live stream cut short): nothing to draw yet, but no error either.
    const auto open_only = run_logad({"report"}, scored.out.substr(0, scored.out.find('\n') + 1));
    CHECK(open_only.status == 0);
    CHECK_THAT(open_only.out, Catch::Contains("1 incident opened, none closed in the input"));
}
