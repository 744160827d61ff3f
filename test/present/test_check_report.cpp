// The check verdict as people and CI servers read it: text with the verdict word painted, JUnit
// XML with every piece of log text escaped.
#include <logad/present/check_report.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using logad::present::xml_escape;

namespace {

logad::pipeline::CheckVerdict failed_verdict() {
    logad::pipeline::CheckVerdict v;
    v.failed = true;
    v.text = "logad check: FAIL: 1 new template\n  7 <Disk> & full\n";
    v.cases.push_back({"new templates", 1, "1 new template", "  7 <Disk> & full", true});
    v.cases.push_back({"surging templates", 0, "", "", false});
    return v;
}

}  // namespace

TEST_CASE("xml_escape keeps valid UTF-8 and replaces what XML 1.0 cannot hold", "[present][check]") {
    CHECK(xml_escape("a<b>&'\"") == "a&lt;b&gt;&amp;&apos;&quot;");
    CHECK(xml_escape("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
    CHECK(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
    CHECK(xml_escape(std::string("nul\0bell\x07", 9)) == "nul\xEF\xBF\xBD" "bell\xEF\xBF\xBD");
    CHECK(xml_escape("\xC3") == "\xEF\xBF\xBD");              // truncated sequence
    CHECK(xml_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
    CHECK(xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
    CHECK(xml_escape("\xEF\xBF\xBE") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFE, not a character
}

TEST_CASE("the JUnit report has a testcase per check and a failure holding the escaped details", "[present][check]") {
    const std::string xml = logad::present::junit_report(failed_verdict());
    CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                      "<testsuite name=\"logad check\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"));
    CHECK_THAT(xml, Catch::Contains("<failure type=\"new templates\" message=\"1 new template\">  7 &lt;Disk&gt; &amp; full</failure>"));
    CHECK_THAT(xml, Catch::Contains("<testcase classname=\"logad.check\" name=\"surging templates\"/>\n"));
    CHECK_THAT(xml, Catch::EndsWith("<system-out>logad check: FAIL: 1 new template\n  7 &lt;Disk&gt; &amp; full\n</system-out>\n</testsuite>\n"));
}

TEST_CASE("the text report is the verdict text, its verdict word painted only when asked", "[present][check]") {
    using logad::present::CheckReport;
    std::ostringstream plain, coloured, junit;
    logad::present::print_check(failed_verdict(), CheckReport::text, false, plain);
    CHECK(plain.str() == failed_verdict().text);
    logad::present::print_check(failed_verdict(), CheckReport::text, true, coloured);
    CHECK(coloured.str() == "logad check: \x1b[1;31mFAIL\x1b[0m: 1 new template\n  7 <Disk> & full\n");
    logad::present::print_check(failed_verdict(), CheckReport::junit, true, junit);
    CHECK(junit.str() == logad::present::junit_report(failed_verdict()));
}
