// Event time out of order (issue 13, point 4): rotated files named newest first, a line with a
// skewed clock. Windows and window signals must see the traffic as it happened.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

#include "../support/support.hpp"

using logad::test::run_logad;

namespace {

const std::string& time_order_model() {
    static std::string path;
    if (path.empty()) {
        path = logad::test::temp_path("time-order-model.json");
        REQUIRE(run_logad({"train", "-q", "-o", path, logad::test::write_temp("time-order-train.log", logad::test::example_log(0, 1000))}).status == 0);
    }
    return path;
}

std::size_t window_records(const std::string& out) { return logad::test::occurrences(out, "\"per\":\"window\""); }

}  // namespace

TEST_CASE("rotated files named newest first give the records of oldest first, and the summary says so", "[cli]") {
    // app.log.2 is the oldest part, app.log the newest, as logrotate leaves them.
    const std::string oldest = logad::test::write_temp("time-order-app.log.2", logad::test::example_log(1000, 270));
    const std::string middle = logad::test::write_temp("time-order-app.log.1", logad::test::example_log(1270, 270));
    const std::string newest = logad::test::write_temp("time-order-app.log", logad::test::example_log(1540, 270));
    const auto in_order = run_logad({"score", "--records", "-m", time_order_model(), oldest, middle, newest});
    const auto shell_order = run_logad({"score", "--records", "-m", time_order_model(), newest, oldest, middle});
    REQUIRE(in_order.status == 0);
    REQUIRE(shell_order.status == 0);
    CHECK(shell_order.out == in_order.out);
    CHECK(in_order.err.find("order of their first timestamps") == std::string::npos);  // nothing changed
    CHECK_THAT(shell_order.err, Catch::Contains("read the 3 files in the order of their first timestamps: " + oldest +
                                                ", " + middle + ", " + newest));
    const auto quiet = run_logad({"score", "--records", "-q", "-m", time_order_model(), newest, oldest, middle});
    CHECK(quiet.out == in_order.out);
    CHECK(quiet.err.empty());
    // What the order prevents: the same lines newest first through a pipe (false bursts).
    const auto piped = run_logad({"score", "--records", "-m", time_order_model()}, logad::test::example_log(1540, 270) +
                                                                          logad::test::example_log(1000, 540));
    CHECK(window_records(piped.out) > window_records(in_order.out));
    // check reads them the same way and says so.
    const auto check = run_logad({"check", "-m", time_order_model(), newest, oldest, middle});
    CHECK_THAT(check.err, Catch::Contains("in the order of their first timestamps"));
}

TEST_CASE("one line minutes ahead is placed at the stream's time and opens no window", "[cli][reliability]") {
    std::istringstream in(logad::test::example_log(1000, 800));
    std::string clean, skewed;
    int i = 0;
    for (std::string line; std::getline(in, line); ++i) {
        clean += line + "\n";
        skewed += line + "\n";
        if (i == 300) {  // the same line again, stamped 3 minutes later (minute 09:0x -> 09:0x+3)
            std::string ahead = line;
            const int minute = std::stoi(line.substr(14, 2));
            ahead.replace(14, 2, (minute + 3 < 10 ? "0" : "") + std::to_string(minute + 3));
            skewed += ahead + "\n";
        }
    }
    const std::string skewed_path = logad::test::write_temp("time-order-skew.log", skewed);
    const auto base = run_logad({"score", "--records", "-m", time_order_model(), logad::test::write_temp("time-order-clean.log", clean)});
    const auto fixed = run_logad({"score", "--records", "-m", time_order_model(), skewed_path});
    const auto off = run_logad({"score", "--records", "-m", time_order_model(), "--reorder-tolerance", "0", skewed_path});
    REQUIRE(base.status == 0);
    REQUIRE(fixed.status == 0);
    INFO("window records: clean " << window_records(base.out) << ", skewed " << window_records(fixed.out)
                                  << ", skewed without tolerance " << window_records(off.out));
    CHECK(window_records(fixed.out) == window_records(base.out));
    CHECK(window_records(off.out) > window_records(base.out));  // what the tolerance prevents
    CHECK_THAT(fixed.err, Catch::Contains("1 records were more than 10 s ahead of the records around them"));
    // A bad value is refused before anything is read.
    const auto bad = run_logad({"score", "--records", "-m", time_order_model(), "--reorder-tolerance", "2d", skewed_path});
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("--reorder-tolerance '2d' is over a day"));
}

TEST_CASE("a window record of several files names the file its first line is in", "[cli]") {
    // Windows close at a later event, often the next file's first: its line numbers restart, so
    // the record must still name the file it started in.
    const std::vector<std::string> parts = {logad::test::write_temp("window-file-a.log", logad::test::example_log(1000, 270)),
                                            logad::test::write_temp("window-file-b.log", logad::test::example_log(1270, 270))};
    const auto run = run_logad({"score", "--all", "-m", time_order_model(), parts[0], parts[1]});
    REQUIRE(run.status <= 1);
    std::map<std::string, std::size_t> lines_of;
    for (const auto& p : parts) lines_of[p] = logad::test::occurrences(logad::test::read_all(p), "\n");
    std::vector<nlohmann::json> windows;
    std::string second_starts = "~";  // the time of the second file's first line (RFC 3339 sorts)
    std::istringstream out(run.out);
    for (std::string line; std::getline(out, line);) {
        auto j = nlohmann::json::parse(line);
        REQUIRE(j.contains("file"));
        if (j.value("per", "") == "line" && j["file"] == parts[1]) second_starts = std::min(second_starts, j["start"].get<std::string>());
        if (j.value("per", "") == "window") windows.push_back(std::move(j));
    }
    REQUIRE(windows.size() >= 2);
    std::size_t in_first = 0;
    for (const auto& w : windows) {
        INFO(w.dump() << " second file from " << second_starts);
        const std::string file = w["file"];
        CHECK(w["first_line"].get<std::size_t>() <= lines_of.at(file));
        CHECK((file == parts[0]) == (w["start"].get<std::string>() < second_starts));
        in_first += file == parts[0];
    }
    CHECK(in_first > 0);
    CHECK(in_first < windows.size());
}
