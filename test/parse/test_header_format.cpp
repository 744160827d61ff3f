// Header format strings: expected captures checked against Python's re on the regex the Loghub
// benchmark builds (^ + (?P<Name>.*?) per field + $, spaces as \s+).
#include <logad/error.hpp>
#include <logad/parse/line_format.hpp>

#include <catch2/catch.hpp>

#include "../support/support.hpp"

using namespace logad;
using parse::LineResult;

namespace {

std::unique_ptr<parse::LineFormat> header(const char* spec) {
    parse::FormatOptions o;
    o.format = spec;
    o.year = 2020;
    return parse::make_format(o);
}

}  // namespace

TEST_CASE("header: HDFS line maps date+time, level, message - the rest are fields", "[parse][header]") {
    const auto f = header("<Date> <Time> <Pid> <Level> <Component>: <Content>");
    Record r;
    REQUIRE(f->parse("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
                     "blk_38865049064139660 terminating",
                     r)
                .kind == LineResult::record);
    CHECK(r.message == "PacketResponder 1 for block blk_38865049064139660 terminating");
    CHECK(r.ts_ms == 1226262975000);  // 2008-11-09T20:36:15Z
    CHECK(r.level == Level::info);
    REQUIRE(r.fields.size() == 2);
    CHECK(r.fields[0].key == "Pid");
    CHECK(r.fields[0].value == "148");
    CHECK(r.fields[1].key == "Component");
    CHECK(r.fields[1].value == "dfs.DataNode$PacketResponder");
    CHECK_FALSE(r.fields[1].json);

    r.clear();
    CHECK(f->parse("\tat org.apache.hadoop.Foo(Foo.java:1)", r).kind == LineResult::no_match);
}

TEST_CASE("header: lazy fields and greedy \\s+ backtrack like Python's re", "[parse][header]") {
    const auto f = header("<A> <B> <Content>");
    Record r;
    REQUIRE(f->parse("a  b", r).kind == LineResult::record);  // re: A='a', B='', Content='b'
    CHECK(logad::test::field(r, "A") == "a");
    CHECK(logad::test::field(r, "B") == "");
    CHECK(r.message == "b");
    r.clear();
    CHECK(f->parse("a b", r).kind == LineResult::no_match);  // needs two runs of whitespace
}

TEST_CASE("header: optional parts, escapes, leading and trailing whitespace", "[parse][header]") {
    const auto f = header("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
    Record r;
    REQUIRE(f->parse("Jun 14 15:16:01 combo su(pam_unix)[123]: x: [y]: z", r).kind == LineResult::record);
    CHECK(r.ts_ms == 1592147761000);  // 2020-06-14T15:16:01Z (year from the options)
    CHECK(logad::test::field(r, "Level") == "combo");  // not a level: kept as a field
    CHECK(r.level == Level::unknown);
    CHECK(logad::test::field(r, "Component") == "su(pam_unix)");
    CHECK(logad::test::field(r, "PID") == "123");
    CHECK(r.message == "x: [y]: z");

    r.clear();
    REQUIRE(f->parse("  Jun 14 15:16:01 combo kernel: a[1]: b  \t", r).kind == LineResult::record);
    CHECK(logad::test::field(r, "Component") == "kernel");
    CHECK(logad::test::field(r, "PID") == "<absent>");  // did not take part
    CHECK(r.message == "a[1]: b");

    const auto pipes = header("<Time>\\|<Component>\\|<Pid>\\|<Content>");
    r.clear();
    REQUIRE(pipes->parse("20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579", r).kind ==
            LineResult::record);
    CHECK(r.ts_ms == 1514067329606);
    CHECK(r.message == "onStandStepChanged 3579");
    CHECK(logad::test::field(r, "Pid") == "30002312");
}

TEST_CASE("header: time pieces that do not parse together are tried one by one", "[parse][header]") {
    const auto f = header("<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>");
    Record r;
    REQUIRE(f->parse("- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 "
                     "RAS KERNEL INFO instruction cache parity error corrected",
                     r)
                .kind == LineResult::record);
    CHECK(r.ts_ms == 1117838570000);  // the epoch Timestamp
    CHECK(logad::test::field(r, "Timestamp") == "<absent>");
    CHECK(logad::test::field(r, "Date") == "2005.06.03");
    CHECK(logad::test::field(r, "Time") == "2005-06-03-15.42.50.675872");
    CHECK(logad::test::field(r, "Type") == "RAS");
    CHECK(r.level == Level::info);
    CHECK(r.message == "instruction cache parity error corrected");
}

TEST_CASE("header: pathological formats give up instead of hanging", "[parse][header]") {
    const auto f = header("<A><B><C><D><E><F><G><H>x<Content>y");
    Record r;
    const std::string line(2000, 'a');
    CHECK(f->parse(line, r).kind == LineResult::no_match);
}

TEST_CASE("header: level-like field names map when the value is a level", "[parse][header]") {
    const auto f = header("<Timestamp> <Severity> <Type> <Content>");
    Record r;
    REQUIRE(f->parse("2024-05-01T10:00:00Z WARNING RAS disk slow", r).kind == LineResult::record);
    CHECK(r.level == Level::warn);
    CHECK(r.ts_ms == 1714557600000);
    CHECK(logad::test::field(r, "Severity") == "<absent>");
    CHECK(logad::test::field(r, "Type") == "RAS");
    CHECK(r.message == "disk slow");

    r.clear();
    REQUIRE(f->parse("not-a-time loud RAS x", r).kind == LineResult::record);
    CHECK_FALSE(r.has_time());
    CHECK(logad::test::field(r, "Timestamp") == "not-a-time");  // unparsed: kept
    CHECK(logad::test::field(r, "Severity") == "loud");
}
