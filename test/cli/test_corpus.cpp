// The corpus: every Loghub-2k log (../shared/data, skipped with a WARN when absent), the example
// log and one sample per format auto mode knows by layout (examples/formats/) train and score in
// auto mode, and their parsed records carry the time (and the level) the lines carry.
// Hidden from the default run ([.corpus]); ctest runs it as the test "corpus" (label corpus).
#include "process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>
#include <sstream>

using logad::test::run_logad;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Shares {
    std::size_t records = 0;
    double time = 0;
    double level = 0;
};

// Parses `path` in auto mode, then trains a model on it and scores it with that model.
Shares run_corpus_file(const std::string& path) {
    const auto parsed = run_logad({"parse", "-q", path});
    REQUIRE(parsed.status == 0);
    Shares s;
    std::size_t with_time = 0, with_level = 0;
    std::istringstream in(parsed.out);
    for (std::string line; std::getline(in, line);) {
        const json e = json::parse(line);
        ++s.records;
        with_time += e.contains("ts");
        with_level += e.contains("level");
    }
    REQUIRE(s.records > 0);
    s.time = double(with_time) / double(s.records);
    s.level = double(with_level) / double(s.records);

    const std::string model = logad::test::temp_path("corpus-" + fs::path(path).stem().string() + ".json");
    const auto train = run_logad({"train", "-q", "-o", model, path});
    INFO(train.err);
    CHECK(train.status == 0);
    if (train.status != 0) return s;
    const auto score = run_logad({"score", "-q", "-m", model, path});
    INFO(score.err);
    CHECK((score.status == 0 || score.status == 1));
    fs::remove(model);
    return s;
}

std::string shared_loghub() {
    if (const char* env = std::getenv("LOGAD_SHARED_DATA"); env && fs::is_directory(fs::path(env) / "loghub-2k"))
        return (fs::path(env) / "loghub-2k").string();
    const fs::path guess = fs::path(LOGAD_SOURCE_DIR) / ".." / "shared" / "data" / "loghub-2k";
    return fs::is_directory(guess) ? guess.string() : std::string();
}

struct Sample {
    std::string path;
    bool has_time;
    bool has_level;
};

// The item-8 samples, the example log and (when ../shared is there) every Loghub-2k log.
std::vector<Sample> corpus() {
    std::vector<Sample> all;
    // name, has a time, has a level
    const std::tuple<const char*, bool, bool> samples[] = {
        {"klog", true, true},          {"python-logging", true, true}, {"ruby-logger", true, true},
        {"uvicorn", false, true},      {"gunicorn", true, true},       {"laravel", true, true},
        {"cri-json", true, true},      {"windows-cbs", true, true},    {"alternatives", true, false},
        {"bgl", true, true},           {"thunderbird", true, false},   {"hpc", true, false},
        {"openstack", true, true},
    };
    for (const auto& [name, has_time, has_level] : samples)
        all.push_back({std::string(LOGAD_SOURCE_DIR) + "/examples/formats/" + name + ".log", has_time, has_level});
    // What managed services' clients print (test_stack_inputs_cli.cpp checks their fields).
    const std::tuple<const char*, bool, bool> stack[] = {
        {"cloudwatch-tail.log", true, false},      {"cloudwatch-events.json", true, true},
        {"elasticsearch-search.json", true, true}, {"elasticdump.ndjson", true, true},
        {"gcloud-logging.json", true, true},       {"docker-json.log", true, true},
        {"kubectl-prefix.log", true, false},       {"journald.json", true, true},
    };
    for (const auto& [name, has_time, has_level] : stack)
        all.push_back({std::string(LOGAD_SOURCE_DIR) + "/examples/formats/" + name, has_time, has_level});
    all.push_back({std::string(LOGAD_SOURCE_DIR) + "/examples/app.log", true, true});
    if (const std::string dir = shared_loghub(); !dir.empty()) {
        std::vector<std::string> logs;
        for (const auto& entry : fs::recursive_directory_iterator(dir))
            if (entry.path().extension() == ".log") logs.push_back(entry.path().string());
        std::sort(logs.begin(), logs.end());
        CHECK(logs.size() >= 16);
        // Every Loghub line carries a timestamp; whether a level is there depends on the system.
        for (const std::string& log : logs) all.push_back({log, true, false});
    }
    return all;
}


void check_sample(const Sample& sample) {
    INFO(sample.path);
    const Shares s = run_corpus_file(sample.path);
    CHECK(s.time == (sample.has_time ? 1.0 : 0.0));
    if (sample.has_level) CHECK(s.level == 1.0);
}

}  // namespace

TEST_CASE("corpus: every log trains and scores in auto mode and carries its time and level", "[.corpus]") {
    if (shared_loghub().empty()) WARN("../shared/data/loghub-2k not found: the Loghub part of the corpus is skipped");
    for (const Sample& sample : corpus()) check_sample(sample);
}
