// Every incident kind of the generated multi-service log set is reported by `logad train` +
// `logad score` with default settings (and --key for the order id), on a small set: one hour of
// training, one incident of each kind. The generator is examples/incidents/generate.py.
#include "../oracle.hpp"
#include "labelled_incidents.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using logad::test::run_logad;
using nlohmann::json;

TEST_CASE("each incident kind of the generated log set is reported", "[cli][incidents]") {
    if (std::system("/usr/bin/python3 -c pass >/dev/null 2>&1") != 0) {
        LOGAD_ORACLE_MISSING("/usr/bin/python3 is needed to generate the log set");
        return;
    }
    const std::string dir = logad::test::temp_path("incidents");
    const std::string gen = std::string("/usr/bin/python3 ") + LOGAD_SOURCE_DIR +
                            "/examples/incidents/generate.py --train-hours 1 --instances 1 --quiet-slots 1 --seed 11 --out " +
                            dir + " >/dev/null";
    REQUIRE(std::system(gen.c_str()) == 0);
    const std::string model = dir + "/model.json";
    const auto train = run_logad({"train", "--quiet", "--key", "ORD-\\d+", "-o", model, dir + "/train.log"});
    INFO(train.err);
    REQUIRE(train.status == 0);
    const auto score = run_logad({"score", "--records", "--quiet", "-m", model, dir + "/test.log"});
    INFO(score.err);
    REQUIRE(score.status == 0);

    std::vector<json> records, opened;  // anomaly records, and incidents as they open
    std::istringstream out(score.out);
    for (std::string l; std::getline(out, l);) {
        if (l.empty()) continue;
        json j = json::parse(l);
        if (j["per"] != "incident")
            records.push_back(std::move(j));
        else if (j["state"] == "open")
            opened.push_back(std::move(j));
    }
    const auto incidents = logad::test::read_labelled_incidents(dir + "/incidents.csv");
    REQUIRE(incidents.size() == 9);  // one of each kind
    std::size_t touching = 0;
    for (const auto& r : records) {
        bool any = false;
        for (const auto& i : incidents) any = any || logad::test::touches_labelled(r, i);
        touching += any;
        // The signals' bars are learned to stay quiet on normal traffic: none may stray.
        if (r["detector"].get<std::string>().rfind("signal:", 0) == 0) {
            INFO(r.dump());
            CHECK(any);
        }
    }
    for (const auto& i : incidents) {
        bool caught = false;
        for (const auto& r : records) caught = caught || (r["anomaly"] == true && logad::test::touches_labelled(r, i));
        INFO("incident kind " << i.kind << " from " << i.start);
        CHECK(caught);
    }
    // The detectors' thresholds (the highest training score) stray now and then, more so with
    // only sixty training windows: most alerts must still be about an incident.
    CHECK(static_cast<double>(touching) >= 0.8 * static_cast<double>(records.size()));

    // What a person reads: incidents. Each injected one is among them, and they are few.
    for (const auto& i : incidents) {
        bool caught = false;
        for (const auto& o : opened) caught = caught || logad::test::touches_labelled(o, i);
        INFO("incident kind " << i.kind << " from " << i.start);
        CHECK(caught);
    }
    INFO(opened.size() << " incidents for " << records.size() << " records");
    CHECK(opened.size() < records.size());
    CHECK(opened.size() <= 3 * incidents.size());
}
