// Built-in formats as data: each sample line with the record it must give. The same table runs
// through --format auto, which must agree with the named format.
#include <logad/error.hpp>
#include <logad/parse/line_format.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace logad;
using parse::LineResult;

namespace {

struct Parsed {
    LineResult::Kind kind;
    Record rec;
};

Parsed parse_with(const parse::LineFormat& f, std::string_view line) {
    Parsed p{};
    p.rec.clear();
    p.kind = f.parse(line, p.rec).kind;
    return p;
}

std::unique_ptr<parse::LineFormat> format(std::string name, std::string regex = {}) {
    parse::FormatOptions o;
    o.format = std::move(name);
    o.regex = std::move(regex);
    o.year = 2020;
    return parse::make_format(o);
}

// "k=v|k=v" in order; JSON-valued fields are written k:=v
std::string fields_of(const Record& r) {
    std::string s;
    for (const Field& f : r.fields) {
        if (!s.empty()) s += '|';
        s += f.key + (f.json ? ":=" : "=") + f.value;
    }
    return s;
}

struct Sample {
    const char* format;
    const char* line;
    LineResult::Kind kind;
    const char* message;
    Level level;
    std::int64_t ts;
    const char* fields;
};

const Sample k_samples[] = {
    // json: logrus, zap, bunyan, pino, ECS, Docker json-file, journald
    {"json", R"({"level":"warning","msg":"disk almost full","time":"2024-05-01T10:00:00Z","free_mb":120})",
     LineResult::record, "disk almost full", Level::warn, 1714557600000, "free_mb:=120"},
    {"json", R"({"level":"error","ts":1714557600.123,"caller":"server/main.go:42","msg":"request failed","error":"EOF"})",
     LineResult::record, "request failed", Level::error, 1714557600123, R"(caller:="server/main.go:42"|error:="EOF")"},
    {"json", R"({"name":"api","hostname":"web1","pid":4242,"level":30,"msg":"started","time":"2024-05-01T10:00:00.250Z","v":0})",
     LineResult::record, "started", Level::info, 1714557600250, R"(name:="api"|hostname:="web1"|pid:=4242|v:=0)"},
    {"json", R"({"level":50,"time":1714557600250,"pid":7,"hostname":"h","msg":"boom"})", LineResult::record, "boom",
     Level::error, 1714557600250, R"(pid:=7|hostname:="h")"},
    {"json", R"({"@timestamp":"2024-05-01T10:00:00.000Z","log":{"level":"info","logger":"app"},"message":"hello","ecs":{"version":"1.6.0"}})",
     LineResult::record, "hello", Level::info, 1714557600000, "log.logger=app|ecs.version=1.6.0"},  // ECS: dotted names
    {"json", R"({"log":"GET /health 200\n","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"})", LineResult::record,
     "GET /health 200", Level::unknown, 1714557600123, "stream=stdout"},
    {"json", R"({"log":"first 16 KiB of a long li","stream":"stdout","time":"2024-05-01T10:00:00Z"})",
     LineResult::incomplete, "first 16 KiB of a long li", Level::unknown, 1714557600000, "stream=stdout"},
    {"json", R"({"__REALTIME_TIMESTAMP":"1714557600123456","PRIORITY":"3","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"Connection closed"})",
     LineResult::record, "Connection closed", Level::error, 1714557600123, "host=web1|app=sshd"},  // entity names
    {"json", R"({"level":"info","count":3})", LineResult::record, R"({"level":"info","count":3})", Level::info, k_no_time,
     "count:=3"},
    {"json", "{\"msg\":\"caf\xe9 \xff\",\"level\":\"info\"}", LineResult::record, "caf\xEF\xBF\xBD \xEF\xBF\xBD",
     Level::info, k_no_time, ""},
    {"json", R"({"msg": "broken)", LineResult::no_match, "", Level::unknown, k_no_time, ""},
    {"json", "[1,2,3]", LineResult::no_match, "", Level::unknown, k_no_time, ""},

    // logfmt
    {"logfmt", R"(time=2024-05-01T10:00:00Z level=info msg="user logged in" user=42 ip=10.0.0.1)", LineResult::record,
     "user logged in", Level::info, 1714557600000, "user=42|ip=10.0.0.1"},
    {"logfmt", R"(level=warn msg="said \"hi\" twice" path=/a/b)", LineResult::record, R"(said "hi" twice)", Level::warn,
     k_no_time, "path=/a/b"},
    {"logfmt", "just some prose with a=b in it", LineResult::no_match, "", Level::unknown, k_no_time, ""},
    {"logfmt", R"(level=info msg="never closed)", LineResult::no_match, "", Level::unknown, k_no_time, ""},

    // syslog: RFC 3164 as in /var/log, with and without <PRI>; RFC 5424
    {"syslog", "Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8", LineResult::record,
     "'su root' failed for lonvick on /dev/pts/8", Level::unknown, 1602454455000, "host=mymachine|app=su|pid=230"},
    {"syslog", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed", LineResult::record, "'su root' failed",
     Level::fatal, 1602454455000, "facility=auth|host=mymachine|app=su"},
    {"syslog", "Jul  1 09:00:55 host kernel: [    0.000000] Linux version 5.10", LineResult::record,
     "[    0.000000] Linux version 5.10", Level::unknown, 1593594055000, "host=host|app=kernel"},
    {"syslog",
     R"(<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event)",
     LineResult::record, "An application event", Level::info, 1065910455003,
     R"(facility=local4|host=mymachine.example.com|app=evntslog|msgid=ID47|structured_data=[exampleSDID@32473 iut="3" eventSource="Application"])"},
    {"syslog", "<13>1 2024-05-01T10:00:00Z web1 app 123 - - plain message", LineResult::record, "plain message",
     Level::info, 1714557600000, "facility=user|host=web1|app=app|procid=123"},
    {"syslog", "2024-05-01 10:00:00 not syslog", LineResult::no_match, "", Level::unknown, k_no_time, ""},
    {"syslog", "<999>Oct 11 22:14:15 h x: y", LineResult::no_match, "", Level::unknown, k_no_time, ""},

    // clf: common and combined
    {"clf", R"(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326)",
     LineResult::record, "GET /apache_pb.gif HTTP/1.0 200", Level::info, 971211336000,
     "client=127.0.0.1|user=frank|status=200|bytes=2326"},
    {"clf",
     R"~(203.0.113.9 - - [01/May/2024:10:00:00 +0000] "POST /api/login HTTP/1.1" 503 0 "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64)")~",
     LineResult::record, "POST /api/login HTTP/1.1 503", Level::error, 1714557600000,
     "client=203.0.113.9|status=503|bytes=0|referer=https://example.com/|user_agent=Mozilla/5.0 (X11; Linux x86_64)"},
    {"clf", R"(10.1.2.3 - - [01/May/2024:10:00:00 +0000] "GET /missing HTTP/1.1" 404 - "-" "curl/8.0" 0.002)",
     LineResult::record, "GET /missing HTTP/1.1 404", Level::warn, 1714557600000,
     "client=10.1.2.3|status=404|user_agent=curl/8.0|extra=0.002"},
    {"clf", "10.1.2.3 - - [yesterday] \"GET / HTTP/1.1\" 200 1", LineResult::no_match, "", Level::unknown, k_no_time, ""},

    // cri
    {"cri", "2016-10-06T00:17:09.669794202Z stdout F hello world", LineResult::record, "hello world", Level::unknown,
     1475713029669, "stream=stdout"},
    {"cri", "2016-10-06T00:17:09.669794202Z stderr P first part ", LineResult::incomplete, "first part ",
     Level::unknown, 1475713029669, "stream=stderr"},
    {"cri", "2016-10-06T00:17:09.669794202Z stdout X nope", LineResult::no_match, "", Level::unknown, k_no_time, ""},

    // raw
    {"raw", "\tanything at all ", LineResult::record, "\tanything at all ", Level::unknown, k_no_time, ""},
};

}  // namespace

TEST_CASE("built-in formats parse their sample lines", "[parse][formats]") {
    for (const Sample& s : k_samples) {
        INFO(s.format << ": " << s.line);
        const auto f = format(s.format);
        const Parsed p = parse_with(*f, s.line);
        REQUIRE(p.kind == s.kind);
        if (p.kind == LineResult::no_match) continue;
        CHECK(p.rec.message == s.message);
        CHECK(p.rec.level == s.level);
        CHECK(p.rec.ts_ms == s.ts);
        CHECK(fields_of(p.rec) == s.fields);
    }
}

TEST_CASE("auto agrees with the named format on every matching sample", "[parse][formats][auto]") {
    const auto a = format("auto");
    for (const Sample& s : k_samples) {
        if (s.kind == LineResult::no_match || std::string(s.format) == "raw") continue;
        INFO(s.format << ": " << s.line);
        const Parsed p = parse_with(*a, s.line);
        REQUIRE(p.kind == s.kind);
        CHECK(p.rec.message == s.message);
        CHECK(p.rec.level == s.level);
        CHECK(p.rec.ts_ms == s.ts);
        CHECK(fields_of(p.rec) == s.fields);
    }
}

TEST_CASE("auto: mixed streams, application logs, continuations, raw lines", "[parse][formats][auto]") {
    const auto a = format("auto");
    // JSON interleaved with syslog: each line by its own format
    CHECK(parse_with(*a, R"({"level":"info","msg":"a"})").rec.message == "a");
    CHECK(fields_of(parse_with(*a, "Oct 11 22:14:15 h sshd[1]: b").rec) == "host=h|app=sshd|pid=1");
    CHECK(parse_with(*a, R"({"level":"error","msg":"c"})").rec.level == Level::error);

    const Parsed app = parse_with(*a, "2024-05-01 10:00:00,123 ERROR [main] c.e.App - Something failed");
    CHECK(app.kind == LineResult::record);
    CHECK(app.rec.ts_ms == 1714557600123);
    CHECK(app.rec.level == Level::error);
    CHECK(app.rec.message == "[main] c.e.App - Something failed");

    const Parsed hdfs = parse_with(*a, "081109 203615 148 INFO dfs.DataNode: x");
    CHECK(hdfs.rec.ts_ms == 1226262975000);
    CHECK(hdfs.rec.level == Level::info);  // 148 is a pid, not a (bunyan) level; INFO after it is
    CHECK(hdfs.rec.message == "dfs.DataNode: x");
    REQUIRE(hdfs.rec.fields.size() == 1);
    CHECK(hdfs.rec.fields[0].key == "pid");
    CHECK(hdfs.rec.fields[0].value == "148");

    const Parsed apache = parse_with(*a, "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok");
    CHECK(apache.rec.ts_ms == 1133671664000);
    CHECK(apache.rec.level == Level::info);
    CHECK(apache.rec.message == "workerEnv.init() ok");

    for (const char* cont : {"\tat com.example.App.main(App.java:10)", "    ... 12 more", "Caused by: java.io.EOFException",
                             "Traceback (most recent call last):", "  File \"x.py\", line 1, in <module>",
                             "java.net.ConnectException: Connection refused", "ValueError: bad literal",
                             "org.example.StorageError"}) {
        INFO(cont);
        CHECK(parse_with(*a, cont).kind == LineResult::no_match);
    }
    for (const char* own : {"Exception handler installed", "Error: disk full", "Errors seen: 3"}) {
        INFO(own);  // a plain sentence, or a bare "Error:", stays a record
        CHECK(parse_with(*a, own).kind == LineResult::record);
    }
    const Parsed raw = parse_with(*a, "Starting service without any timestamp");
    CHECK(raw.kind == LineResult::record);
    CHECK(raw.rec.message == "Starting service without any timestamp");
    CHECK_FALSE(raw.rec.has_time());
}

TEST_CASE("regex format with named groups", "[parse][formats][regex]") {
    const auto f = format("auto", R"((?P<ts>\S+ \S+) \[(?P<level>\w+)\] (?P<thread>\S+)(?: (?P<opt>#\d+))? (?P<message>.*))");
    const Parsed p = parse_with(*f, "2024-05-01 10:00:00,123 [ERROR] main Something broke");
    REQUIRE(p.kind == LineResult::record);
    CHECK(p.rec.message == "Something broke");
    CHECK(p.rec.level == Level::error);
    CHECK(p.rec.ts_ms == 1714557600123);
    CHECK(fields_of(p.rec) == "thread=main");  // opt did not take part
    CHECK(parse_with(*f, "no match here").kind == LineResult::no_match);

    const auto bad = format("auto", R"(.*\[(?P<level>\w+)\] (?P<msg>.*))");
    const Parsed q = parse_with(*bad, "x [NOTALEVEL] hi");
    CHECK(q.rec.message == "hi");
    CHECK(fields_of(q.rec) == "level=NOTALEVEL");  // an unknown level stays a field
}

TEST_CASE("bad --regex and --format are usage errors that say what to do", "[parse][formats]") {
    using Catch::Matchers::Contains;
    CHECK_THROWS_AS(format("auto", "(?<message>.*)"), UsageError);
    CHECK_THROWS_WITH(format("auto", "(?<message>.*)"), Contains("(?P<name>...)") && Contains("lookbehind"));
    CHECK_THROWS_WITH(format("auto", "(?P<message>.*)(?<=x)"), Contains("(?P<name>...)"));
    CHECK_THROWS_WITH(format("auto", "(?P<text>.*)"), Contains("(?P<message>...)"));
    CHECK_THROWS_WITH(format("nosuch"), Contains("unknown format 'nosuch'") && Contains("logfmt"));
    CHECK_THROWS_WITH(format("<Date> <Time"), Contains("unbalanced '<'"));
    CHECK_THROWS_WITH(format("<Date> (<Time> <Content>"), Contains("unbalanced '('"));
    CHECK_THROWS_WITH(format("<Date>) <Content>"), Contains("unbalanced ')'"));
    CHECK_THROWS_WITH(format("(no fields here)"), Contains("no <Field>"));
    CHECK_THROWS_WITH(format("<A> <A>"), Contains("twice"));
    CHECK_THROWS_WITH(format("<Date> <Time>"), Contains("no <Content>"));
    CHECK_THROWS_WITH(format("<Content> x\\"), Contains("trailing backslash"));
    CHECK(parse::builtin_format_names().front() == "auto");
}

TEST_CASE("a format loaded with another's history parses on as that one does", "[parse][formats][history]") {
    // what `parse --threads` relies on to parse a block ahead from a history and check it later
    for (const char* name : {"auto", "json", "cri", "syslog"}) {
        INFO(name);
        const auto a = format(name);
        std::vector<std::vector<std::size_t>> seen;
        for (const Sample& s : k_samples) {
            std::vector<std::size_t> before;
            a->save_history(before);
            const auto b = format(name);
            std::size_t at = 0;
            b->load_history(before, at);
            REQUIRE(at == before.size());
            std::vector<std::size_t> loaded;
            b->save_history(loaded);
            REQUIRE(loaded == before);

            INFO(s.line);
            const Parsed pa = parse_with(*a, s.line);
            const Parsed pb = parse_with(*b, s.line);
            REQUIRE(pa.kind == pb.kind);
            CHECK(pa.rec.message == pb.rec.message);
            CHECK(fields_of(pa.rec) == fields_of(pb.rec));
            std::vector<std::size_t> after_a, after_b;
            a->save_history(after_a);
            b->save_history(after_b);
            REQUIRE(after_a == after_b);
            if (pa.kind == LineResult::no_match) CHECK(after_a == before);  // a line not taken leaves it
            if (std::find(seen.begin(), seen.end(), after_a) == seen.end()) seen.push_back(after_a);
        }
        if (std::string(name) == "auto") CHECK(seen.size() > 5);  // the test means something
        if (std::string(name) == "syslog") CHECK(seen == std::vector<std::vector<std::size_t>>{{}});
    }
}
