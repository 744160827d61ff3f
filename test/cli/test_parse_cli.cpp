// End-to-end tests of `logad parse` and `logad templates` through the real binary.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <fcntl.h>

using logad::test::LiveProcess;
using logad::test::run_logad;
using nlohmann::json;

namespace {


const std::string k_log =
    "2026-11-20 09:00:00.136 INFO  [worker-6] OrderService: Order 677814 created for user erin in 20 ms\n"
    "2026-11-20 09:00:01.002 INFO  [worker-2] OrderService: Order 123456 created for user bob in 7 ms\n"
    "2026-11-20 09:00:01.500 ERROR [worker-1] PaymentService: Payment for order 123456 failed: connection refused to 10.0.5.17:5432\n"
    "java.net.ConnectException: Connection refused\n"
    "\tat org.postgresql.core.PGStream.<init>(PGStream.java:98)\n"
    "2026-11-20 09:00:02.250 WARN  [worker-3] PaymentService: Retrying request 2 of 3 after 250 ms\n";

std::vector<json> events(const std::string& ndjson) {
    std::vector<json> out;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
}

}  // namespace

TEST_CASE("logad --version and --help", "[cli]") {
    const auto v = run_logad({"--version"});
    CHECK(v.status == 0);
    CHECK_THAT(v.out, Catch::StartsWith("logad 0."));
    for (const std::string sub : {"parse", "templates"}) {
        const auto h = run_logad({sub, "--help"});
        INFO(sub);
        CHECK(h.status == 0);
        CHECK_THAT(h.out, Catch::Contains("Example"));
    }
    CHECK(run_logad({}).status == 2);
}

TEST_CASE("usage errors exit 2 with a message", "[cli]") {
    const auto bad_flag = run_logad({"parse", "--no-such-flag"});
    CHECK(bad_flag.status == 2);
    CHECK_FALSE(bad_flag.err.empty());

    const auto missing = run_logad({"parse", "/no/such/dir/app.log"});
    CHECK(missing.status == 2);
    CHECK_THAT(missing.err, Catch::StartsWith("logad parse: error: cannot open /no/such/dir/app.log"));

    const auto bad_format = run_logad({"parse", "--format", "<Date> (<Level>"}, "x\n");
    CHECK(bad_format.status == 2);
    CHECK_THAT(bad_format.err, Catch::StartsWith("logad parse: error: "));

    const auto bad_regex = run_logad({"parse", "--regex", "(?<message>.*)"}, "x\n");
    CHECK(bad_regex.status == 2);
    CHECK_THAT(bad_regex.err, Catch::Contains("(?P<"));
}

TEST_CASE("events carry the documented fields", "[cli]") {
    const auto r = run_logad({"parse", "--format", logad::test::k_app_log_format}, k_log);
    REQUIRE(r.status == 0);
    const auto ev = events(r.out);
    REQUIRE(ev.size() == 4);
    CHECK(ev[0]["line"] == 1);
    CHECK(ev[0]["ts"] == "2026-11-20T09:00:00.136Z");
    CHECK(ev[0]["level"] == "info");
    CHECK(ev[0]["message"] == "Order 677814 created for user erin in 20 ms");
    CHECK(ev[0]["fields"]["Thread"] == "worker-6");
    CHECK(ev[0]["fields"]["Component"] == "OrderService");
    // The two orders share a template id; the second event already sees the generalised
    // template (online mining: an event carries the template as known when it was mined).
    CHECK(ev[0]["template_id"] == ev[1]["template_id"]);
    CHECK(ev[1]["template"] == "Order <*> created for user <*> in <*>");
    CHECK(ev[0]["params"].size() == ev[0]["param_kinds"].size());
    const auto params = ev[0]["params"].get<std::vector<std::string>>();
    CHECK(std::find(params.begin(), params.end(), "677814") != params.end());
    // The stack trace is folded into the error record.
    CHECK(ev[2]["line"] == 3);
    CHECK(ev[2]["lines"] == 3);
    CHECK(ev[2]["level"] == "error");
    CHECK_THAT(ev[2]["message"].get<std::string>(), Catch::Contains("PGStream.java:98"));
    CHECK(ev[3]["line"] == 6);
    CHECK_THAT(r.err, Catch::Contains("6 lines, 4 records, 2 continuation lines"));
}

TEST_CASE("without multiline folding every line is a record", "[cli]") {
    const auto r = run_logad({"parse", "-q", "--no-multiline", "--format", logad::test::k_app_log_format}, k_log);
    REQUIRE(r.status == 0);
    CHECK(events(r.out).size() == 6);
    CHECK(r.err.empty());
}

TEST_CASE("binary junk, NUL bytes, invalid UTF-8, CRLF and empty lines give valid JSON", "[cli]") {
    std::string junk = "ok line\r\n\r\n   \n";
    junk += std::string("nul\0inside\n", 11);
    junk += "bad \xFF\xFE utf8 \xC3\n";
    for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
    junk += "\n";
    const auto r = run_logad({"parse", "--format", "raw"}, junk);
    REQUIRE(r.status == 0);
    std::vector<json> ev;
    REQUIRE_NOTHROW(ev = events(r.out));
    REQUIRE(ev.size() >= 4);
    CHECK(ev[0]["message"] == "ok line");  // CR stripped
    CHECK_THAT(r.err, Catch::Contains("empty"));
}

TEST_CASE("a 10 MiB line is truncated and counted, not fatal", "[cli]") {
    const std::string input = "before\n" + std::string(10 << 20, 'a') + "\nafter\n";
    const auto r = run_logad({"parse", "--format", "raw"}, input);
    REQUIRE(r.status == 0);
    const auto ev = events(r.out);
    REQUIRE(ev.size() == 3);
    CHECK(ev[2]["message"] == "after");
    CHECK_THAT(r.err, Catch::Contains("1 truncated"));
}

TEST_CASE("gzip files are read transparently, several files in order", "[cli]") {
    const std::string plain = logad::test::write_temp("plain.log", "alpha one\n");
    const std::string gz = logad::test::write_temp("more.log", "beta two\n");
    REQUIRE(std::system(("gzip -f " + gz).c_str()) == 0);
    const auto r = run_logad({"parse", "-q", "--format", "raw", plain, gz + ".gz"});
    REQUIRE(r.status == 0);
    const auto ev = events(r.out);
    REQUIRE(ev.size() == 2);
    CHECK(ev[0]["message"] == "alpha one");
    CHECK(ev[1]["message"] == "beta two");
    CHECK(ev[1]["file"] == gz + ".gz");
}

TEST_CASE("template ids are stable across runs and kept by --state", "[cli][mine]") {
    const auto a = run_logad({"parse", "-q", "--format", logad::test::k_app_log_format}, k_log);
    const auto b = run_logad({"parse", "-q", "--format", logad::test::k_app_log_format}, k_log);
    REQUIRE(a.status == 0);
    CHECK(a.out == b.out);

    const std::string state = logad::test::temp_path("ids.state");
    std::remove(state.c_str());
    const std::string other = "2026-11-20 10:00:00.000 INFO  [main] Boot: Service started on port 8080\n";
    const auto first = run_logad({"parse", "-q", "--state", state, "--format", logad::test::k_app_log_format}, other + k_log);
    const auto second = run_logad({"parse", "-q", "--state", state, "--format", logad::test::k_app_log_format}, k_log);
    REQUIRE(first.status == 0);
    REQUIRE(second.status == 0);
    std::map<std::string, int> id_of;
    for (const auto& e : events(first.out)) id_of[e["message"]] = e["template_id"];
    for (const auto& e : events(second.out)) CHECK(e["template_id"] == id_of[e["message"]]);

    const auto listing = run_logad({"templates", "--state", state, "--json"});
    REQUIRE(listing.status == 0);
    const auto templates = events(listing.out);
    CHECK(templates.size() >= 4);
    for (const auto& t : templates) {
        CHECK(t.contains("template_id"));
        CHECK(t["count"].get<int>() >= 1);
        CHECK(t.contains("example"));
    }
}

TEST_CASE("damaged, newer or foreign state files are refused with exit 2", "[cli]") {
    const std::string state = logad::test::temp_path("bad.state");
    for (const std::string& content : {std::string(R"({"format":"logad-miner-state","version":99,"miner":{}})"),
                                      std::string(R"({"format":"logad-miner-state","vers)"),
                                      std::string(R"({"format":"logad-model","version":1})"),
                                      std::string(R"({"format":"logad-miner-state","version":1,"miner":{"templates":7}})")}) {
        logad::test::write_temp("bad.state", content);
        const auto r = run_logad({"parse", "--state", state, "--format", "raw"}, "x\n");
        INFO(content);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::StartsWith("logad parse: error: "));
        CHECK_THAT(r.err, Catch::Contains(state));
    }
    const auto missing = run_logad({"templates", "--state", logad::test::temp_path("none.state")});
    CHECK(missing.status == 2);
}

TEST_CASE("a closed output pipe is a quiet exit", "[cli]") {
    std::string many;
    for (int i = 0; i < 300000; ++i) many += "GET /index.html 200\n";
    const std::string input = logad::test::write_temp("many.log", many);
    const std::string err = logad::test::temp_path("pipe.err");
    // logad's own exit status (PIPESTATUS[0]), after `head` closed the pipe early.
    const std::string cmd = std::string(LOGAD_BINARY) + " parse --format raw " + input + " 2>" + err +
                            " | head -n 1 > /dev/null; exit ${PIPESTATUS[0]}";
    const int rc = std::system(("bash -c '" + cmd + "'").c_str());
    CHECK(WEXITSTATUS(rc) == 0);
    std::ifstream in(err);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, !Catch::Contains("error"));
}

TEST_CASE("a live stream gets each event before the writer closes the pipe", "[cli]") {
    LiveProcess p({"parse", "-q", "--format", logad::test::k_app_log_format});
    p.write("2026-11-20 09:00:00.136 INFO  [w-1] Svc: first message 1\n");
    // The record could still get continuation lines; once input pauses it must come out.
    const std::string first = p.read_line(3000);
    REQUIRE_FALSE(first.empty());
    CHECK(json::parse(first)["message"] == "first message 1");
    p.write("2026-11-20 09:00:01.000 INFO  [w-1] Svc: second message 2\n");
    const std::string second = p.read_line(3000);
    REQUIRE_FALSE(second.empty());
    CHECK(json::parse(second)["line"] == 2);
    CHECK(p.wait() == 0);
}

#ifdef F_GETPIPE_SZ
// A pipe on stdout is widened to 1 MiB (fewer switches between `logad parse` and its reader).
TEST_CASE("parse widens a pipe on stdout", "[cli]") {
    const std::string log = logad::test::write_temp("widen_pipe.log", k_log);
    FILE* out = ::popen((std::string(LOGAD_BINARY) + " parse -q " + log).c_str(), "r");
    REQUIRE(out != nullptr);
    char buf[4096];
    std::size_t bytes = 0;
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, out)) bytes += n;
    const int size = ::fcntl(::fileno(out), F_GETPIPE_SZ);
    CHECK(::pclose(out) == 0);
    CHECK(bytes > 0);
    // the system may cap it lower (pipe-max-size); it is never left at the 64 KiB default then
    CHECK(size > 65536);
}
#endif
