// What a person at a terminal sees, piece by piece: the sparkline's bounded bins, the progress
// line's text, the score summary, and when colour is on.
#include <logad/present/progress.hpp>
#include <logad/present/score_summary.hpp>
#include <logad/present/sparkline.hpp>
#include <logad/present/terminal.hpp>

#include <logad/error.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

using logad::present::Sparkline;

namespace {

// Number of UTF-8 characters (each bar is one 3-byte character).
std::size_t chars(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace

TEST_CASE("a sparkline keeps a fixed number of bins and widens them to hold any range", "[present][terminal]") {
    Sparkline s(8);
    CHECK(s.empty());
    CHECK(s.render().empty());
    for (int x = 0; x < 8; ++x) s.add(x, x == 3 ? 4 : 1);
    CHECK(s.bin_width() == 1);
    CHECK(s.render() == "▃▃▃█▃▃▃▃");  // any count shows above the floor ▁
    s.add(15);  // past the end: bins pair up, width 2
    CHECK(s.bin_width() == 2);
    CHECK(s.render() == "▄█▄▄▁▁▁▃");
    CHECK(s.peak() == 5);
    s.add(-16);  // before the start: the range doubles downwards to [-16, 16), width 4
    CHECK(s.bin_width() == 4);
    CHECK(s.first() == -16);
    CHECK(s.last() == 15);
    CHECK(s.render() == "▂▁▁▁█▅▁▂");  // -16 | nothing | 0..3 holds 1+1+1+4 | 4..7 | 15
    CHECK(s.peak() == 7);

    Sparkline stream(48);  // a long stream: memory and bars stay bounded
    for (std::int64_t x = 0; x < 10'000'000; x += 997) stream.add(x);
    CHECK(chars(stream.render()) <= 48);
    CHECK(chars(stream.render()) >= 24);
    stream.add(0, 0);
    CHECK(stream.first() == 0);
}

TEST_CASE("zero weights stretch the range without counting", "[present][terminal]") {
    Sparkline s(8);
    s.add(0, 0);
    s.add(7);
    s.add(7);
    CHECK(s.render() == "▁▁▁▁▁▁▁█");
    CHECK(s.peak() == 2);
}

TEST_CASE("the progress line says lines, rate, share done and time left", "[present][terminal]") {
    using logad::present::Progress;
    CHECK(Progress::format_line("score", 1'234'567, 2.0, 0.25) == "logad score: 1.23M lines, 617.3k lines/s, 25%, 0:06 left");
    CHECK(Progress::format_line("train", 900, 0.5, -1) == "logad train: 900 lines, 1800 lines/s");
    CHECK(Progress::format_line("score", 50'000, 5000.0, 0.5) == "logad score: 50.0k lines, 10 lines/s, 50%, 1:23:20 left");

    std::ostringstream err;
    {
        Progress off("score", {"-"}, err, false);
        off.update(1'000'000);
        off.phase("fitting");
    }
    CHECK(err.str().empty());  // never drawn when nobody watches
}

TEST_CASE("the score summary counts incidents, names the largest and draws anomalies over time", "[present][terminal]") {
    logad::present::ScoreSummary summary;
    std::ostringstream quiet;
    summary.print(quiet, false);
    CHECK(quiet.str() == "  no anomalies\n");

    logad::pipeline::ScoreRecord r;
    r.per = "line";
    r.anomaly = true;
    const std::int64_t t0 = 1'763'629'200'000;  // 2025-11-20 09:00:00 UTC
    summary.extent(t0, 1);
    for (int i = 0; i < 4; ++i) {
        r.start_ms = r.end_ms = t0 + 3'600'000;
        summary.add(r);
    }
    r.per = "window";
    summary.add(r);
    summary.extent(t0 + 2 * 3'600'000, 5000);
    auto incident = [&](std::uint64_t id, const char* kind, std::uint64_t records, std::uint32_t tid, const char* text) {
        logad::pipeline::Incident i;
        i.id = id;
        i.state = logad::pipeline::Incident::State::closed;
        i.kind = kind;
        i.records = records;
        i.template_id = tid;
        i.template_text = text;
        i.reasons = {"events in the window: 900, training range 100 to 300"};
        i.first_line = 100;
        i.last_line = 102;
        i.start_ms = t0 + 3'600'000;
        i.end_ms = t0 + 3'660'000;
        summary.add(i);
    };
    incident(1, "new_template", 3, 7, "Connection refused to <*>");
    incident(2, "new_template", 1, 9, "Disk <*> full");
    incident(3, "iforest", 1, 0, "");

    std::ostringstream out;
    summary.print(out, false);
    const std::string s = out.str();
    INFO(s);
    CHECK_THAT(s, Catch::StartsWith("  3 incidents (1 iforest, 2 new_template), from 5 anomaly records: 4 lines, 1 window\n"
                                    "  over time: 2025-11-20 09:00:00 "));
    CHECK_THAT(s, Catch::Contains(" 2025-11-20 11:00:00 UTC  (1 bar = "));
    CHECK_THAT(s, Catch::Contains("  largest incidents:\n"
                                  "  3 records  new_template  Connection refused to <*>  (2025-11-20 10:00:00 to 10:01:00, incident 1)\n"
                                  "  1 record  new_template  Disk <*> full  (2025-11-20 10:00:00 to 10:01:00, incident 2)\n"
                                  "  1 record  iforest  events in the window: 900, training range 100 to 300  (2025-11-20 10:00:00 to "
                                  "10:01:00, incident 3)\n"));
    CHECK(s.find('\x1b') == std::string::npos);

    std::ostringstream coloured;
    summary.print(coloured, true);
    CHECK_THAT(coloured.str(), Catch::Contains("\x1b[1;31m3 incidents\x1b[0m"));
}

TEST_CASE("colour: --color wins, then NO_COLOR and TERM=dumb, then whether it is a terminal", "[present][terminal]") {
    using namespace logad::present;
    CHECK_THROWS_AS(parse_color_mode("sometimes"), logad::UsageError);
    CHECK(paint("x", Paint::red, false) == "x");
    CHECK(paint("x", Paint::green, true) == "\x1b[32mx\x1b[0m");

    set_color_mode(ColorMode::always);
    ::setenv("NO_COLOR", "1", 1);
    CHECK(color_on(1));
    set_color_mode(ColorMode::automatic);
    CHECK_FALSE(color_on(1));
    ::unsetenv("NO_COLOR");
    CHECK(color_on(1) == is_terminal(1));
    set_color_mode(ColorMode::never);
    CHECK_FALSE(color_on(1));
    set_color_mode(ColorMode::automatic);
}
