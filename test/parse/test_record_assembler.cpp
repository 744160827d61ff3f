#include <logad/parse/line_format.hpp>
#include <logad/parse/record_assembler.hpp>

#include <catch2/catch.hpp>

#include <random>

#include "../support/support.hpp"

using namespace logad;

namespace {

// Steals what it is given, as a real next stage may.
std::unique_ptr<parse::LineFormat> format_2020(const char* name) {
    parse::FormatOptions o;
    o.format = name;
    o.year = 2020;
    return parse::make_format(o);
}

void feed(parse::RecordAssembler& a, const std::vector<std::string>& lines) {
    std::uint64_t n = 0;
    for (const auto& l : lines) a.push_line(l, ++n);
}

const char* const k_zk = "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>";

const std::vector<std::string> k_java = {
    "2015-07-29 17:41:44,747 - INFO  [main:QuorumPeer@913] - tickTime set to 2000",
    "2015-07-29 19:04:12,394 - WARN  [RecvWorker:188978561024:QuorumCnxManager@765] - Interrupting SendWorker",
    "java.net.SocketException: Connection reset",
    "\tat java.net.SocketInputStream.read(SocketInputStream.java:196)",
    "\tat java.io.DataInputStream.readInt(DataInputStream.java:387)",
    "",
    "2015-07-29 19:04:12,395 - INFO  [main:QuorumPeer@920] - minSessionTimeout set to -1",
};

}  // namespace

TEST_CASE("assembler folds a stack trace into the record before it", "[parse][assembler]") {
    const auto f = format_2020(k_zk);
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out);
    feed(a, k_java);
    CHECK(a.holding());
    a.finish();
    CHECK_FALSE(a.holding());
    CHECK(out.finished == 1);
    REQUIRE(out.records.size() == 3);
    CHECK(out.records[0].line == 1);
    CHECK(out.records[0].line_count == 1);
    CHECK(out.records[1].line == 2);
    CHECK(out.records[1].line_count == 4);
    CHECK(out.records[1].level == Level::warn);
    CHECK(out.records[1].message ==
          "Interrupting SendWorker\njava.net.SocketException: Connection reset\n"
          "\tat java.net.SocketInputStream.read(SocketInputStream.java:196)\n"
          "\tat java.io.DataInputStream.readInt(DataInputStream.java:387)");
    CHECK(out.records[2].line == 7);
    CHECK(out.records[2].message == "minSessionTimeout set to -1");
    const auto& s = a.stats();
    CHECK(s.lines == 7);
    CHECK(s.records == 3);
    CHECK(s.continuation_lines == 3);
    CHECK(s.unparsed == 0);
    CHECK(s.empty == 1);
}

TEST_CASE("assembler with multiline off: non-matching lines are unparsed records", "[parse][assembler]") {
    const auto f = format_2020(k_zk);
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out, false);
    feed(a, k_java);
    CHECK_FALSE(a.holding());  // nothing is held back without multiline
    a.finish();
    REQUIRE(out.records.size() == 6);
    CHECK(out.records[2].message == "java.net.SocketException: Connection reset");
    CHECK(out.records[2].line == 3);
    CHECK_FALSE(out.records[2].has_time());
    CHECK(a.stats().unparsed == 3);
    CHECK(a.stats().continuation_lines == 0);
    CHECK(a.stats().records == 6);
}

TEST_CASE("assembler: a leading continuation becomes an unparsed record that collects the rest",
          "[parse][assembler]") {
    const auto f = format_2020(k_zk);
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out);
    feed(a, {"   at somewhere", "   at elsewhere", k_java[0]});
    a.finish();
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[0].message == "   at somewhere\n   at elsewhere");
    CHECK(out.records[0].line_count == 2);
    CHECK(a.stats().unparsed == 1);
    CHECK(a.stats().continuation_lines == 1);
}

TEST_CASE("assembler: release() emits the held record (a live stream paused)", "[parse][assembler]") {
    const auto f = format_2020(k_zk);
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out);
    a.push_line(k_java[0], 1);
    CHECK(out.records.empty());
    CHECK(a.holding());
    a.release();
    CHECK(out.records.size() == 1);
    CHECK_FALSE(a.holding());
    a.release();  // nothing held: no-op
    a.push_line("\tat a.late.Continuation(X.java:1)", 2);  // nothing to fold into any more
    a.finish();
    REQUIRE(out.records.size() == 2);
    CHECK(a.stats().unparsed == 1);
}

TEST_CASE("assembler caps a record at max_record_bytes", "[parse][assembler]") {
    const auto f = format_2020("<Level> <Content>");
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out, true, 16);
    feed(a, {"INFO 0123456789", "  abcdefghij", "  more", "INFO 0123456789abcdefghijXYZ", "INFO ok"});
    a.finish();
    REQUIRE(out.records.size() == 3);
    CHECK(out.records[0].message == "0123456789\n  abc");
    CHECK(out.records[0].line_count == 3);  // lines are counted even when their text is dropped
    CHECK(out.records[1].message == "0123456789abcdef");
    CHECK(out.records[2].message == "ok");
    CHECK(a.stats().cut == 2);
}

TEST_CASE("assembler joins CRI partial lines", "[parse][assembler]") {
    const auto f = format_2020("cri");
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out);
    feed(a, {"2016-10-06T00:17:09.669794202Z stdout P part one, ", "2016-10-06T00:17:09.669794203Z stdout P two, ",
             "2016-10-06T00:17:09.669794204Z stdout F three", "2016-10-06T00:17:10.000000000Z stderr F next"});
    a.finish();
    REQUIRE(out.records.size() == 2);
    CHECK(out.records[0].message == "part one, two, three");
    CHECK(out.records[0].line_count == 3);
    CHECK(out.records[0].ts_ms == 1475713029669);
    CHECK(out.records[1].message == "next");
}

TEST_CASE("auto + assembler on a plain application log with a Python traceback", "[parse][assembler][auto]") {
    const auto f = format_2020("auto");
    logad::test::Collect<Record> out;
    parse::RecordAssembler a(*f, out);
    feed(a, {"2024-05-01 10:00:00,001 INFO worker started", "2024-05-01 10:00:01,002 ERROR job 7 failed",
             "Traceback (most recent call last):", "  File \"job.py\", line 3, in run", "    1/0",
             "ZeroDivisionError: division by zero", "2024-05-01 10:00:02,003 INFO worker idle"});
    a.finish();
    // The exception's last line ("ZeroDivisionError: ...") belongs to the traceback too.
    REQUIRE(out.records.size() == 3);
    CHECK(out.records[1].level == Level::error);
    CHECK(out.records[1].message ==
          "job 7 failed\nTraceback (most recent call last):\n  File \"job.py\", line 3, in run\n    1/0\n"
          "ZeroDivisionError: division by zero");
    CHECK(out.records[2].message == "worker idle");
}

TEST_CASE("bad input never throws or crashes, in any format", "[parse][badinput]") {
    std::vector<std::string> lines = {
        std::string("\0\0\0", 3),
        std::string("INFO \0 nul inside", 17),
        "caf\xc3\xa9 \xff\xfe invalid \xc3 utf-8",
        "{\"msg\":\"caf\xe9\",\"level\":\"info\"}",
        "{", "{\"a\":", "[", "<", "<1", "<1>", "<1>1", "<13>1 -", "\"", "=", "a=", "a=\"", "- - - [", "x - - [",
        "2016-10-06T00:17:09Z", "2016-10-06T00:17:09Z stdout", "2016-10-06T00:17:09Z stdout P",
        "Oct 11 22:14:15", "Oct 11 22:14:15 host", "\r\r\r", "line with CR\r inside",
        std::string(1 << 20, 'x'),
        "{\"log\":\"" + std::string(100000, 'y') + "\"}",
        std::string(5000, '[') + std::string(5000, '{'),
    };
    std::mt19937 rng(42);
    for (int i = 0; i < 200; ++i) {
        std::string junk(rng() % 300, '\0');
        for (char& c : junk) c = static_cast<char>(rng());
        lines.push_back(junk);
    }
    std::vector<std::string> formats = parse::builtin_format_names();
    formats.push_back("<Date> <Time> <Pid> <Level> <Component>: <Content>");
    formats.push_back("<A>(\\[<B>\\])?: <Content>");
    for (const auto& name : formats) {
        INFO(name);
        const auto f = format_2020(name.c_str());
        for (bool multiline : {true, false}) {
            logad::test::Collect<Record> out;
            parse::RecordAssembler a(*f, out, multiline, 4096);
            CHECK_NOTHROW(feed(a, lines));
            a.finish();
            CHECK(a.stats().lines == lines.size());
            for (const Record& r : out.records) CHECK(r.message.size() <= 4096);
        }
    }
}
