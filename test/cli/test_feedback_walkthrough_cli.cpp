// Issue 17's walkthrough through the real binary, on the generated multi-service log set
// (examples/incidents/generate.py): an operator marks each false-positive incident of a normal
// hour normal, one at a time; afterwards the normal hour gives no alert, every injected incident
// kind still alerts, and a far larger value on the slot whose smaller deviation was marked normal
// alerts too. scripts/bench_feedback.py measures the same over several seeds.
#include "../oracle.hpp"
#include "labelled_incidents.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

using logad::test::run_logad;
using nlohmann::json;

namespace {

std::vector<json> walk_ndjson(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(json::parse(l));
    return out;
}

std::vector<json> walk_scored(const std::string& model, const std::string& log) {
    const auto r = run_logad({"score", "--records", "-q", "-m", model, log});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return walk_ndjson(r.out);
}

std::set<std::string> walk_kinds_caught(const std::string& model, const std::string& dir) {
    std::set<std::string> caught;
    const auto records = walk_scored(model, dir + "/test.log");
    for (const auto& i : logad::test::read_labelled_incidents(dir + "/incidents.csv"))
        for (const auto& r : records)
            if (r["per"] != "incident" && r.value("anomaly", false) && logad::test::touches_labelled(r, i)) caught.insert(i.kind);
    return caught;
}

// The normal hour with its 100th order created in `ms` milliseconds (tens are normal).
std::string walk_slow_order(const std::string& from, const std::string& name, int ms) {
    std::ifstream in(from);
    std::string out, line;
    int orders = 0;
    while (std::getline(in, line)) {
        if (line.find(" created for customer ") != std::string::npos && ++orders == 100)
            line = line.substr(0, line.rfind(" in ")) + " in " + std::to_string(ms) + " ms";
        out += line + "\n";
    }
    return logad::test::write_temp(name, out);
}

}  // namespace

TEST_CASE("feedback: walkthrough: each false positive of a normal hour marked normal, every incident kind still alerts",
          "[cli][feedback][walkthrough]") {
    if (std::system("/usr/bin/python3 -c pass >/dev/null 2>&1") != 0) {
        LOGAD_ORACLE_MISSING("/usr/bin/python3 is needed to generate the log set");
        return;
    }
    const std::string dir = logad::test::temp_path("fb-walk");
    const std::string gen = std::string("/usr/bin/python3 ") + LOGAD_SOURCE_DIR + "/examples/incidents/generate.py";
    REQUIRE(std::system((gen + " --train-hours 1 --instances 1 --quiet-slots 1 --seed 13 --out " + dir + "/labelled >/dev/null").c_str()) == 0);
    REQUIRE(std::system((gen + " --train-hours 0.1 --instances 0 --quiet-slots 8 --slot-minutes 7.5 --seed 1013 --out " + dir +
                         "/normal >/dev/null").c_str()) == 0);
    const std::string model = dir + "/model.json";
    REQUIRE(run_logad({"train", "-q", "--key", "ORD-\\d+", "-o", model, dir + "/labelled/train.log"}).status == 0);
    const std::string hour = walk_slow_order(dir + "/normal/test.log", "fb-walk-hour.log", 400);

    const std::set<std::string> caught_before = walk_kinds_caught(model, dir + "/labelled");
    CHECK(caught_before.size() == 9);  // every kind generate.py injects
    // What the operator reads: the incidents of the normal hour, each a false positive.
    std::vector<json> false_positives;
    for (const auto& r : walk_scored(model, hour))
        if (r["per"] == "incident" && r["state"] == "closed") false_positives.push_back(r);
    REQUIRE(false_positives.size() >= 3);
    std::set<std::string> kinds;
    for (const auto& i : false_positives) kinds.insert(i["kind"].get<std::string>());
    CHECK(kinds.count("param_range"));  // the 400 ms order
    for (const auto& incident : false_positives) {
        const auto r = run_logad({"feedback", "-m", model, "--normal", incident.dump(), "--note", "ops: normal hour"});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }

    // The normal hour is quiet now...
    const auto after = walk_scored(model, hour);
    for (const auto& r : after) INFO(r.dump());
    CHECK(after.empty());
    // ...every injected incident kind still alerts...
    CHECK(walk_kinds_caught(model, dir + "/labelled") == caught_before);
    // ...and so does an order ten times slower than the one marked normal.
    bool far = false;
    for (const auto& r : walk_scored(model, walk_slow_order(dir + "/normal/test.log", "fb-walk-far.log", 4000)))
        far = far || (r["per"] == "line" && r["detector"] == "signal:param_range" &&
                      r.value("message", "").find(" in 4000 ms") != std::string::npos);
    CHECK(far);

    // Each verdict shows what it silenced since it was given, and who gave it.
    const auto list = run_logad({"feedback", "-m", model, "--list"});
    REQUIRE(list.status == 0);
    const auto verdicts = walk_ndjson(list.out);
    CHECK(!verdicts.empty());  // incidents of one template and detector share a verdict
    for (const auto& v : verdicts) {
        INFO(v.dump());
        CHECK(v["note"] == "ops: normal hour");
        CHECK(v["silenced"].get<std::uint64_t>() >= 1);
        CHECK(v["status"] == "active");
        CHECK((v.contains("template_id") || v.contains("key") || v.contains("feature")));
    }
}
