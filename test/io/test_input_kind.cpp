#include <logad/io/input_kind.hpp>

#include <catch2/catch.hpp>

using logad::io::classify_input;
using logad::io::InputClaim;
using logad::io::InputKind;
using logad::io::resolve_input_kind;

TEST_CASE("input kinds are told apart by their first line", "[io]") {
    CHECK(classify_input(R"({"features":[1,2]})") == InputKind::table);
    CHECK(classify_input(R"({"feature_space":{}})") == InputKind::table);
    CHECK(classify_input("[1,2,3]") == InputKind::table);
    CHECK(classify_input(" [1.5, -2e3]") == InputKind::table);
    CHECK(classify_input("a,b,c") == InputKind::table);
    CHECK(classify_input("1.5,2,3e4") == InputKind::table);
    CHECK(classify_input(R"({"logad":"event","line":1,"message":"x","template_id":3})") == InputKind::events);
    CHECK(classify_input(R"({"line":1,"message":"x","template_id":3})") == InputKind::events);  // written by logad 0.1
    CHECK(classify_input(R"({"type":"event","message":"x"})") == InputKind::logs);  // an application's JSON log
    CHECK(classify_input(R"({"logad":"event","message":"x"})") == InputKind::events);  // said, not guessed
    CHECK(classify_input(R"({"level":"info","msg":"hello"})") == InputKind::logs);
    CHECK(classify_input("2026-11-20 09:00:00.136 INFO  [w] C: msg, with comma") == InputKind::logs);
    CHECK(classify_input("Nov 25 08:40:02 host sshd[1]: Accepted") == InputKind::logs);
    // CSV headers with spaces, and a featurize-style header row of names
    CHECK(classify_input("cpu load,latency_ms,errors (%)") == InputKind::table);
    CHECK(classify_input(R"({"names":["a","b"]})") == InputKind::table);
    // log lines with commas stay logs
    CHECK(classify_input("2026-11-20 10:00:00,123 INFO started") == InputKind::logs);
    CHECK(classify_input("Connection closed, retrying in 5 s") == InputKind::logs);
    CHECK(classify_input("Processing batch 3,4 done") == InputKind::logs);
    CHECK(classify_input("user=bob,action=login") == InputKind::logs);
    CHECK(classify_input("value") == InputKind::logs);  // one column: `logad train --input table` says so
    CHECK(classify_input("-----") == InputKind::logs);  // a rule of dashes holds no number
}

TEST_CASE("a line opening with a bracket or { that is not table JSON is a log line", "[io]") {
    // Apache error log, dmesg, bracketed levels and threads: `[` opens them, JSON they are not.
    CHECK(classify_input("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties") ==
          InputKind::logs);
    CHECK(classify_input("[    0.000000] Linux version 6.1.0-13-amd64") == InputKind::logs);
    CHECK(classify_input("[2026-11-20 10:00:00] production.ERROR: failed") == InputKind::logs);
    CHECK(classify_input("[INFO] [main] started, listening on :8080") == InputKind::logs);
    CHECK(classify_input("{broken json") == InputKind::logs);
    // JSON arrays that are not rows of numbers are not tables either
    CHECK(classify_input(R"(["GET","/index.html",200])") == InputKind::logs);
    CHECK(classify_input("[]") == InputKind::logs);
}

TEST_CASE("what the user said wins over the guess", "[io]") {
    CHECK(resolve_input_kind("a,b,c", InputClaim::guess) == InputKind::table);
    CHECK(resolve_input_kind("a,b,c", InputClaim::logs) == InputKind::logs);
    CHECK(resolve_input_kind("[1,2,3]", InputClaim::logs) == InputKind::logs);
    // logad's own events stay events when the user says logs (`--input logs` reads them too)
    CHECK(resolve_input_kind(R"({"line":1,"message":"x","template_id":3})", InputClaim::logs) == InputKind::events);
    CHECK(resolve_input_kind("value", InputClaim::table) == InputKind::table);
    CHECK(resolve_input_kind("[Sun Dec 04 04:47:44 2005] [error] x", InputClaim::table) == InputKind::table);
}

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

TEST_CASE("the first line of every Loghub-2k log reads as a log line", "[io][loghub]") {
    namespace fs = std::filesystem;
    const char* env = std::getenv("LOGAD_SHARED_DATA");
    const fs::path root = fs::path(env ? env : LOGAD_SOURCE_DIR "/../shared/data") / "loghub-2k";
    if (!fs::is_directory(root)) {
        WARN("skipped: Loghub-2k not found under " << root.string() << " (set LOGAD_SHARED_DATA)");
        return;
    }
    int seen = 0;
    for (const auto& dir : fs::directory_iterator(root)) {
        const fs::path log = dir.path() / (dir.path().filename().string() + "_2k.log");
        if (!fs::exists(log)) continue;
        std::ifstream in(log);
        std::string first;
        std::getline(in, first);
        INFO(log.string() << ": " << first);
        CHECK(classify_input(first) == InputKind::logs);
        ++seen;
    }
    CHECK(seen >= 16);
}
