// Files written before the alias table (issue 12, item 4): a version 1 miner state
// (test/data/miner_state_v1.json, written by hand as the old writer wrote it: templates and a
// cache, no aliases, no evidence groups) loads and carries on; a state of an unknown version is
// refused clearly; a model whose embedded miner state has the old layout scores as before.
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using logad::test::run_logad;
using nlohmann::json;

namespace {

json read_json_file(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return json::parse(in);
}

void write_json_file(const std::string& path, const json& doc) {
    std::ofstream out(path, std::ios::trunc);
    out << doc.dump();
    REQUIRE(out.good());
}

std::vector<json> old_state_events(const std::string& ndjson) {
    std::vector<json> out;
    std::istringstream in(ndjson);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
}

std::string v1_state_copy(const std::string& name) {
    const std::string path = logad::test::temp_path(name);
    fs::remove(path);
    fs::copy_file(std::string(LOGAD_TEST_DATA) + "/miner_state_v1.json", path);
    return path;
}

}  // namespace

TEST_CASE("a version 1 miner state loads: its ids stay, and it gains aliases when saved", "[cli][state]") {
    const std::string state = v1_state_copy("old-state-v1.json");
    const auto listed = run_logad({"templates", "--state", state});
    REQUIRE(listed.status == 0);
    CHECK_THAT(listed.out, Catch::Contains("1000000001") && Catch::Contains("Order <*> created for customer alice with <*> items"));
    CHECK_THAT(listed.out, Catch::Contains("1000000002") && Catch::Contains("VM Paused"));

    // the old template takes its line again, and new customers merge into it (the oldest)
    std::string input = "Order 18 created for customer alice with 2 items\nVM Paused\n";
    for (const char* name : {"bob", "carol", "dave", "erin", "frank", "grace"})
        input += std::string("Order 19 created for customer ") + name + " with 1 items\n";
    const auto parsed = run_logad({"parse", "--format", "<Content>", "--no-multiline", "--state", state}, input);
    REQUIRE(parsed.status == 0);
    const auto ev = old_state_events(parsed.out);
    REQUIRE(ev.size() == 8);
    CHECK(ev[0]["template_id"] == 1000000001u);
    CHECK(ev[1]["template_id"] == 1000000002u);
    CHECK(ev[7]["template_id"] == 1000000001u);
    CHECK(ev[7]["template"] == "Order <*> created for customer <*> with <*> items");

    // saved as version 2: the merged customers' ids resolve to the old template's
    const json saved = read_json_file(state);
    CHECK(saved["version"] == 2);
    const json& aliases = saved["miner"]["aliases"];
    REQUIRE_FALSE(aliases.empty());
    for (const json& a : aliases) CHECK(a[1] == 1000000001u);
}

TEST_CASE("a miner state of an unknown version is refused with a clear message", "[cli][state]") {
    for (int version : {0, 3}) {
        INFO(version);
        json doc = read_json_file(std::string(LOGAD_TEST_DATA) + "/miner_state_v1.json");
        doc["version"] = version;
        const std::string state = logad::test::temp_path("old-state-version.json");
        write_json_file(state, doc);
        const auto parsed = run_logad({"parse", "--state", state}, "VM Paused\n");
        CHECK(parsed.status == 2);
        CHECK_THAT(parsed.err, Catch::StartsWith("logad parse: error: ") && Catch::Contains("version " + std::to_string(version)));
    }
}

TEST_CASE("a model whose miner state has the version 1 layout scores as before", "[cli][state]") {
    const std::string model = logad::test::temp_path("old-state-model.json");
    const std::string log = logad::test::write_temp("old-state-train.log", logad::test::example_log(0, 300));
    REQUIRE(run_logad({"train", "-q", "--per", "line", "-o", model, log}).status == 0);
    json doc = read_json_file(model);
    REQUIRE(doc["pipeline"]["miner"].contains("aliases"));
    json old = doc;
    old["pipeline"]["miner"].erase("aliases");
    old["pipeline"]["miner"].erase("groups");
    const std::string old_model = logad::test::temp_path("old-state-model-v1.json");
    write_json_file(old_model, old);

    // normal lines and one never seen, so both models have something to report
    std::string lines = logad::test::example_log(300, 100);
    const std::string last = lines.substr(lines.rfind('\n', lines.size() - 2) + 1);
    lines += last.substr(0, last.find(' ', last.find(' ') + 1) + 1) + "ERROR kernel panic: the flux capacitor melted\n";
    const std::string tail = logad::test::write_temp("old-state-score.log", lines);
    const auto now = run_logad({"score", "-q", "-m", model, tail});
    const auto before = run_logad({"score", "-q", "-m", old_model, tail});
    CHECK(before.status == now.status);
    CHECK(before.err.empty());
    CHECK(before.out == now.out);
    CHECK_FALSE(before.out.empty());
    const auto listed = run_logad({"templates", "--model", old_model});
    CHECK(listed.status == 0);
    CHECK(listed.out == run_logad({"templates", "--model", model}).out);
}
