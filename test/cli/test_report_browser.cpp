// `logad report` in a real headless browser (Debian's chromium): the page loads without console
// errors, the charts render (the screenshot is not blank), and a hostile log line shows as text.
#include "../oracle.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/support.hpp"

using logad::test::run_logad;

namespace {

struct Command {
    int status = -1;
    std::string out;
};

Command shell(const std::string& cmd) {
    Command c;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return c;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) c.out.append(buf, n);
    const int status = ::pclose(p);
    c.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return c;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) | (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

// Share of pixels of an 8-bit RGB(A) non-interlaced PNG that are neither white nor near-white.
double inked_share(const std::string& png) {
    REQUIRE(png.size() > 33);
    REQUIRE(png.compare(1, 3, "PNG") == 0);
    const std::uint32_t width = be32(png, 16), height = be32(png, 20);
    const int depth = std::uint8_t(png[24]), color = std::uint8_t(png[25]), interlace = std::uint8_t(png[28]);
    REQUIRE(depth == 8);
    REQUIRE((color == 2 || color == 6));
    REQUIRE(interlace == 0);
    const std::size_t bpp = color == 6 ? 4 : 3, stride = width * bpp;
    std::string idat;
    for (std::size_t at = 8; at + 8 <= png.size();) {
        const std::uint32_t len = be32(png, at);
        if (png.compare(at + 4, 4, "IDAT") == 0) idat.append(png, at + 8, len);
        at += 12 + len;
    }
    std::string raw((stride + 1) * height, '\0');
    uLongf raw_len = raw.size();
    REQUIRE(::uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_len, reinterpret_cast<const Bytef*>(idat.data()),
                         idat.size()) == Z_OK);
    std::vector<std::uint8_t> prev(stride, 0), cur(stride);
    std::uint64_t inked = 0;
    for (std::uint32_t y = 0; y < height; ++y) {
        const auto* row = reinterpret_cast<const std::uint8_t*>(raw.data()) + y * (stride + 1);
        const int filter = row[0];
        for (std::size_t i = 0; i < stride; ++i) {
            const int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            int pred = 0;
            if (filter == 1) pred = a;
            else if (filter == 2) pred = b;
            else if (filter == 3) pred = (a + b) / 2;
            else if (filter == 4) {
                const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
                pred = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
            }
            cur[i] = static_cast<std::uint8_t>(row[1 + i] + pred);
        }
        for (std::size_t x = 0; x < width; ++x)
            if (cur[x * bpp] < 235 || cur[x * bpp + 1] < 235 || cur[x * bpp + 2] < 235) ++inked;
        std::swap(prev, cur);
    }
    return static_cast<double>(inked) / (static_cast<double>(width) * height);
}

}  // namespace

TEST_CASE("the HTML report loads in headless chromium, draws its charts, and shows hostile log text as text",
          "[cli][report][browser]") {
    const char* chromium = "/usr/bin/chromium";
    if (!std::filesystem::exists(chromium)) {
        LOGAD_ORACLE_MISSING("chromium is not installed (apt-get install chromium)");
        return;
    }
    // Train on normal lines, then score new ones that include a hostile message.
    std::istringstream example(logad::test::read_all(LOGAD_SOURCE_DIR "/examples/app.log"));
    std::string normal, fresh;
    int n = 0;
    for (std::string line; std::getline(example, line); ++n) (n < 1000 ? normal : fresh) += line + "\n";
    fresh +=
        "2026-11-20 09:30:00.000 ERROR [worker-1] Web: bad input <script>document.title='pwned'</script>"
        "<img src=x onerror=\"document.title='pwned'\"> & \"quotes\"\n";
    const std::string dir = logad::test::temp_path("report");
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/normal.log") << normal;
    std::ofstream(dir + "/fresh.log") << fresh;
    const std::string format = "<Date> <Time> <Level> [<Thread>] <Component>: <Content>";
    REQUIRE(run_logad({"train", "-q", "-f", format, "-o", dir + "/m.json", dir + "/normal.log"}).status == 0);
    const auto scores = run_logad({"score", "-q", "--all", "-m", dir + "/m.json", dir + "/fresh.log"});
    REQUIRE(scores.status == 0);
    std::ofstream(dir + "/scores.ndjson") << scores.out;
    const auto events = run_logad({"parse", "-q", "-f", format, dir + "/fresh.log"});
    std::ofstream(dir + "/events.ndjson") << events.out;
    const std::string html = dir + "/report.html";
    REQUIRE(run_logad({"report", "-q", "--title", "logad test report", "--events", dir + "/events.ndjson", "-o", html,
                       dir + "/scores.ndjson"})
                .status == 0);
    const std::string page = logad::test::read_all(html);
    CHECK(page.find("<script") == std::string::npos);  // the hostile tag reached the page escaped
    CHECK(page.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;") != std::string::npos);

    const std::string flags = std::string(chromium) +
                              " --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
                              " --user-data-dir=" + dir + "/profile --window-size=1100,1400 ";
    const auto dom = shell(flags + "--enable-logging=stderr --v=0 --dump-dom file://" + html + " 2>" + dir + "/console.log");
    REQUIRE(dom.status == 0);
    CHECK(dom.out.find("<title>logad test report</title>") != std::string::npos);  // no script renamed the page
    CHECK(dom.out.find("pwned</title>") == std::string::npos);
    CHECK(dom.out.find("&lt;script&gt;") != std::string::npos);  // shown as text
    CHECK(dom.out.find("<img src=\"x\"") == std::string::npos);
    CHECK(dom.out.find("<circle") != std::string::npos);
    const std::string console = logad::test::read_all(dir + "/console.log");
    INFO(console);
    CHECK(console.find("CONSOLE") == std::string::npos);  // no console message at all, errors included
    CHECK(console.find("Refused to") == std::string::npos);

    const auto shot = shell(flags + "--screenshot=" + dir + "/shot.png file://" + html + " >/dev/null 2>&1");
    REQUIRE(shot.status == 0);
    const double inked = inked_share(logad::test::read_all(dir + "/shot.png"));
    INFO("share of non-white pixels: " << inked);
    CHECK(inked > 0.02);  // charts, tables and text, not a blank page
}
