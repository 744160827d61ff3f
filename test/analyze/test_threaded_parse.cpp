// ThreadedParser (`logad parse --threads`) against the one-thread path: the same NDJSON byte for
// byte and the same counts, for every block size, with multiline records across block boundaries.
#include <logad/analyze/mining_stage.hpp>
#include <logad/analyze/threaded_parse.hpp>
#include <logad/error.hpp>
#include <logad/event_json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>
#include <string>

namespace logad::test {
namespace {

// A byte source over a string, read in small pieces; throws after `fail_at` bytes when set.
class TextSource final : public io::ByteSource {
public:
    explicit TextSource(std::string text, std::size_t fail_at = std::string::npos)
        : m_text(std::move(text)), m_fail_at(fail_at) {}
    std::size_t read(char* buf, std::size_t size) override {
        if (m_pos >= m_fail_at) throw InputError("test.log: damaged at byte " + std::to_string(m_pos));
        const std::size_t n = std::min({size, std::size_t(997), m_text.size() - m_pos, m_fail_at - m_pos});
        std::copy_n(m_text.data() + m_pos, n, buf);
        m_pos += n;
        return n;
    }
    const std::string& name() const override { return m_name; }

private:
    std::string m_text;
    std::size_t m_fail_at;
    std::size_t m_pos = 0;
    std::string m_name = "test.log";
};

class JsonWriter final : public Sink<Event> {
public:
    explicit JsonWriter(std::string& out) : m_out(out) {}
    void push(Event& event) override { append_event_json(m_out, event); }

private:
    std::string& m_out;
};

struct Run {
    std::string json;
    parse::ParseStats stats;
    std::vector<mine::TemplateInfo> templates;
    std::uint64_t reparsed = 0;  // threaded: blocks parsed again (the guess of the history was wrong)
    std::size_t ahead = 0;       // threaded: the most blocks in flight
};

bool same_stats(const parse::ParseStats& a, const parse::ParseStats& b) {
    return a.lines == b.lines && a.records == b.records && a.continuation_lines == b.continuation_lines &&
           a.unparsed == b.unparsed && a.empty == b.empty && a.cut == b.cut;
}

// The one-thread path of `logad parse`, over several inputs (a record never spans two).
Run sequential(const std::vector<std::string>& inputs, const parse::FormatOptions& format, bool multiline,
               std::size_t max_record) {
    Run run;
    mine::TemplateMiner miner;
    const auto f = parse::make_format(format);
    JsonWriter writer(run.json);
    analyze::MiningStage mining(miner, writer);
    parse::RecordAssembler assembler(*f, mining, multiline, max_record);
    for (const std::string& text : inputs) {
        TextSource source(text);
        io::LineReader reader(source);
        std::string_view line;
        while (reader.next(line)) assembler.push_line(line, reader.line_number());
        assembler.release();
    }
    assembler.finish();
    run.stats = assembler.stats();
    run.templates = miner.templates();
    return run;
}

Run threaded(const std::vector<std::string>& inputs, const parse::FormatOptions& format, bool multiline,
             std::size_t max_record, int threads, std::size_t block_lines) {
    Run run;
    mine::TemplateMiner miner;
    std::ostringstream out;
    {
        io::OutputBuffer buffer(out);
        analyze::ThreadedParseOptions options;
        options.threads = threads;
        options.block_lines = block_lines;
        options.multiline = multiline;
        options.max_record_bytes = max_record;
        analyze::ThreadedParser parser(format, miner, buffer, options);
        for (const std::string& text : inputs) {
            TextSource source(text);
            io::LineReader reader(source);
            parser.parse_input(reader, {});
        }
        buffer.flush();
        run.stats = parser.stats();
        run.reparsed = parser.reparsed_blocks();
        run.ahead = parser.slots();
    }
    run.json = out.str();
    run.templates = miner.templates();
    return run;
}

// Java-style log: records, stack traces under some, blank lines, and input that starts with
// continuation lines (nothing before them to fold into).
std::string java_log(unsigned seed, std::size_t records) {
    std::mt19937 rng(seed);
    std::string s;
    if (seed % 2) s += "\tat orphan.Start(Start.java:1)\n  more orphan text\n";
    for (std::size_t i = 0; i < records; ++i) {
        const unsigned r = rng() % 10;
        s += "2024-03-0" + std::to_string(1 + i % 9) + " 12:00:" + std::to_string(10 + i % 50) + " " +
             (r < 7 ? "INFO" : "ERROR") + " [main] com.example.Svc: ";
        if (r < 4) s += "request " + std::to_string(rng() % 1000) + " served in " + std::to_string(rng() % 90) + "ms";
        else if (r < 7) s += "user u" + std::to_string(rng() % 50) + " logged in from 10.0.0." + std::to_string(rng() % 250);
        else s += "call failed: java.io.IOException: timeout after " + std::to_string(rng() % 30) + "s";
        s += '\n';
        if (r >= 7) {
            const unsigned depth = rng() % 12;
            s += "java.io.IOException: timeout\n";
            for (unsigned d = 0; d < depth; ++d) s += "\tat com.example.Frame" + std::to_string(d) + ".call(F.java:" + std::to_string(d * 7) + ")\n";
            if (rng() % 3 == 0) s += "Caused by: java.net.SocketTimeoutException: read\n\t... 12 more\n";
        }
        if (rng() % 17 == 0) s += "   \n";
        if (rng() % 23 == 0) s += "\n";
    }
    return s;
}

parse::FormatOptions java_format() {
    parse::FormatOptions f;
    f.format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";
    return f;
}

void require_same(const Run& a, const Run& b) {
    REQUIRE(a.json == b.json);
    REQUIRE(same_stats(a.stats, b.stats));
    REQUIRE(a.templates.size() == b.templates.size());
    for (std::size_t i = 0; i < a.templates.size(); ++i) {
        REQUIRE(a.templates[i].id == b.templates[i].id);
        REQUIRE(a.templates[i].text == b.templates[i].text);
        REQUIRE(a.templates[i].count == b.templates[i].count);
    }
}

}  // namespace

TEST_CASE("threaded parse writes what one thread writes, stack traces across block boundaries", "[analyze][threads]") {
    const std::vector<std::string> inputs = {java_log(1, 400), java_log(2, 150), "", java_log(3, 3)};
    for (const bool multiline : {true, false}) {
        const Run one = sequential(inputs, java_format(), multiline, std::size_t(1) << 20);
        REQUIRE(one.stats.continuation_lines + one.stats.unparsed > 100);  // the test means something
        for (const int threads : {2, 4})
            for (const std::size_t block : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), std::size_t(64)}) {
                INFO("multiline " << multiline << ", threads " << threads << ", block " << block);
                require_same(one, threaded(inputs, java_format(), multiline, std::size_t(1) << 20, threads, block));
            }
    }
}

TEST_CASE("threaded parse cuts long records where one thread cuts them", "[analyze][threads]") {
    const std::vector<std::string> inputs = {java_log(5, 300)};
    for (const std::size_t max_record : {std::size_t(80), std::size_t(130), std::size_t(400)}) {
        const Run one = sequential(inputs, java_format(), true, max_record);
        REQUIRE(one.stats.cut > 0);
        for (const std::size_t block : {std::size_t(1), std::size_t(4), std::size_t(33)}) {
            INFO("max record " << max_record << ", block " << block);
            require_same(one, threaded(inputs, java_format(), true, max_record, 3, block));
        }
    }
}

TEST_CASE("threaded parse with a format that remembers earlier lines parses blocks ahead and again when the guess was wrong", "[analyze][threads]") {
    // auto remembers the last format that matched: a block is parsed from the history of the
    // last block checked, and again in order when the line before it left another history
    std::string mixed;
    for (int i = 0; i < 300; ++i) {
        if (i % 3 == 0) mixed += R"({"level":"info","msg":"job )" + std::to_string(i) + R"( done","ts":"2024-03-01T12:00:00Z"})" "\n";
        else if (i % 3 == 1) mixed += "Mar  1 12:00:0" + std::to_string(i % 10) + " host app[42]: worker " + std::to_string(i) + " started\n";
        else mixed += "Traceback (most recent call last):\n  File \"x.py\", line " + std::to_string(i) + "\nValueError: bad\n";
    }
    parse::FormatOptions f;  // auto
    for (const bool multiline : {true, false}) {
        const Run one = sequential({mixed}, f, multiline, std::size_t(1) << 20);
        for (const int threads : {2, 3})
            for (const std::size_t block : {std::size_t(1), std::size_t(5), std::size_t(64)}) {
                INFO("multiline " << multiline << ", threads " << threads << ", block " << block);
                require_same(one, threaded({mixed}, f, multiline, std::size_t(1) << 20, threads, block));
            }
    }
    // How many blocks are parsed again here depends on timing (a block parsed after the one
    // before was checked has the right guess); the partial lines below make it certain.
}

TEST_CASE("threaded parse of a log of one shape keeps the blocks parsed ahead", "[analyze][threads]") {
    std::string json;
    for (int i = 0; i < 2000; ++i)
        json += R"({"time":"2024-03-01T12:00:00Z","level":"info","msg":"request )" + std::to_string(i) + R"( served"})" "\n";
    // only the blocks parsed before the first was checked (2,000 lines: 125 and 286 blocks)
    parse::FormatOptions f;  // auto
    const Run run = threaded({json}, f, true, std::size_t(1) << 20, 2, 16);
    REQUIRE(run.reparsed < run.ahead);
    f.format = "json";
    const Run json_run = threaded({json}, f, true, std::size_t(1) << 20, 3, 7);
    REQUIRE(json_run.reparsed < json_run.ahead);
}

TEST_CASE("threaded parse joins partial lines across block boundaries as one thread joins them", "[analyze][threads]") {
    // CRI partial (P) lines and Docker json-file 16 KiB chunks open a record the next lines
    // continue: a block that starts inside one is parsed again in order
    std::mt19937 rng(7);
    std::string cri, docker;
    for (int i = 0; i < 400; ++i) {
        const std::string ts = "2024-03-01T12:00:" + std::to_string(10 + i % 50) + ".123456789Z";
        const std::string stream = rng() % 4 ? "stdout" : "stderr";
        const unsigned pieces = rng() % 3 == 0 ? 1 + rng() % 5 : 0;
        for (unsigned p = 0; p < pieces; ++p) {
            cri += ts + " " + stream + " P piece " + std::to_string(p) + " of " + std::to_string(i) + " ";
            docker += R"({"log":"chunk )" + std::to_string(p) + " of " + std::to_string(i) + R"( ","stream":")" + stream + R"(","time":")" + ts + "\"}";
            cri += '\n';
            docker += '\n';
            if (rng() % 9 == 0) {  // blank lines, and lines no format takes, inside an open record
                cri += rng() % 2 ? "\n" : "\tat com.example.Frame.call(F.java:7)\n";
                docker += rng() % 2 ? "  \n" : "Caused by: java.io.IOException: reset\n";
            }
        }
        const std::string payload = rng() % 2 ? R"({\"level\":\"warn\",\"msg\":\"slow call )" + std::to_string(i) + R"(\"})"
                                              : "user u" + std::to_string(rng() % 50) + " logged in";
        cri += ts + " " + stream + " F " + (rng() % 2 ? std::string(R"({"level":"warn","msg":"slow call )") + std::to_string(i) + "\"}" : "user u" + std::to_string(i) + " logged in") + "\n";
        docker += R"({"log":")" + payload + R"(\n","stream":")" + stream + R"(","time":")" + ts + "\"}\n";
    }
    for (const std::string& format : {std::string("auto"), std::string("cri"), std::string("json")}) {
        const std::string& log = format == "json" ? docker : cri;
        parse::FormatOptions f;
        f.format = format;
        for (const bool multiline : {true, false}) {
            const Run one = sequential({log, log}, f, multiline, 60);
            REQUIRE(one.stats.continuation_lines > 100);  // the test means something
            REQUIRE(one.stats.cut > 0);
            for (const int threads : {2, 3})
                for (const std::size_t block : {std::size_t(1), std::size_t(2), std::size_t(5), std::size_t(64)}) {
                    INFO(format << ", multiline " << multiline << ", threads " << threads << ", block " << block);
                    require_same(one, threaded({log, log}, f, multiline, 60, threads, block));
                }
        }
    }
    REQUIRE(threaded({docker}, parse::FormatOptions{}, true, 60, 2, 3).reparsed > 0);  // whatever the timing
}

TEST_CASE("threaded parse passes on the reader's error and stops", "[analyze][threads]") {
    const std::string text = java_log(7, 2000);
    mine::TemplateMiner miner;
    std::ostringstream out;
    io::OutputBuffer buffer(out);
    analyze::ThreadedParseOptions options;
    options.threads = 3;
    options.block_lines = 5;
    analyze::ThreadedParser parser(java_format(), miner, buffer, options);
    TextSource source(text, text.size() / 2);
    io::LineReader reader(source);
    REQUIRE_THROWS_WITH(parser.parse_input(reader, {}), Catch::Contains("damaged at byte"));
}

TEST_CASE("threaded parse passes on an output error and stops", "[analyze][threads]") {
    const std::string text = java_log(8, 3000);
    mine::TemplateMiner miner;
    std::ostringstream out;
    out.setstate(std::ios::badbit);  // every write fails
    io::OutputBuffer buffer(out);
    analyze::ThreadedParseOptions options;
    options.threads = 2;
    options.block_lines = 16;
    analyze::ThreadedParser parser(java_format(), miner, buffer, options);
    TextSource source(text);
    io::LineReader reader(source);
    REQUIRE_THROWS_AS(parser.parse_input(reader, {}), OutputError);
}

}  // namespace logad::test
