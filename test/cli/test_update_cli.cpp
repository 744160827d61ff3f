// A model meets a log of another kind (score warns, check refuses), and `train --update` merges
// new normal logs into what the model knew, refusing logs that do not fit.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using logad::test::example_log;
using logad::test::run_logad;
using logad::test::temp_path;
using logad::test::write_temp;


// A syslog-style log of a gateway: nothing like examples/app.log.
std::string foreign_log(int lines) {
    const char* messages[] = {"sshd[{}]: Accepted publickey for deploy from 192.168.1.{} port {} ssh2",
                              "CRON[{}]: (root) CMD (run-parts /etc/cron.hourly) job {} slot {}",
                              "kernel: eth{}: link up, {} Mbps, full duplex, flow control {}",
                              "dhclient[{}]: DHCPACK of 192.168.1.{} from 192.168.1.{}",
                              "systemd[1]: Started Session {} of user deploy ({} of {})."};
    std::string out;
    for (int i = 0; i < lines; ++i)
        out += fmt::format("Dec  1 08:{:02}:{:02} gateway ", i / 60 % 60, i % 60) +
               fmt::format(fmt::runtime(messages[i % 5]), 100 + i, i % 250, 30000 + i) + "\n";
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t lines_of(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::string train(const std::string& name, const std::string& log, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"train", "-q", "-o", temp_path(name)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(log);
    REQUIRE(run_logad(args).status == 0);
    return temp_path(name);
}

}  // namespace

TEST_CASE("score warns and check refuses when a model with an explicit format meets another log", "[cli][fit]") {
    const std::string model = train("fit-explicit.json", write_temp("fit-base.log", example_log(0, 1000)), {"-f", logad::test::k_app_log_format});
    const std::string foreign = write_temp("fit-foreign.log", foreign_log(400));

    const auto scored = run_logad({"score", "--records", "-m", model, foreign});
    CHECK(scored.status == 0);
    CHECK_THAT(scored.err, Catch::Contains("100% of lines do not match the model's format (" + logad::test::k_app_log_format));
    CHECK_THAT(scored.err, Catch::Contains("was the model trained on this kind of log?"));

    const auto checked = run_logad({"check", "-m", model, foreign});
    CHECK(checked.status == 2);
    CHECK_THAT(checked.err, Catch::StartsWith("logad check: error: ") && Catch::Contains("do not match the model's format"));
    // Said also with --quiet (a cron job's results mean little on such input).
    CHECK_THAT(run_logad({"score", "--records", "-q", "-m", model, foreign}).err, Catch::StartsWith("logad score: warning: 100% of lines"));

    // The rest of the same log fits: no warning, and check judges it (0 or 1, not 2).
    const std::string rest = write_temp("fit-rest.log", example_log(1000, 805));
    CHECK_THAT(run_logad({"score", "--records", "-m", model, rest}).err, !Catch::Contains("warning"));
    CHECK(run_logad({"check", "-m", model, rest}).status != 2);
}

TEST_CASE("score warns and check refuses when an auto-format model meets another log", "[cli][fit]") {
    const std::string model = train("fit-auto.json", write_temp("fit-base.log", example_log(0, 1000)));
    const std::string foreign = write_temp("fit-foreign.log", foreign_log(400));
    const auto scored = run_logad({"score", "--records", "-m", model, foreign});
    CHECK_THAT(scored.err, Catch::Contains("% of records have templates the model never saw"));
    const auto checked = run_logad({"check", "-m", model, foreign});
    CHECK(checked.status == 2);
    CHECK_THAT(checked.err, Catch::Contains("templates the model never saw"));
    CHECK_THAT(run_logad({"score", "--records", "-m", model, write_temp("fit-rest.log", example_log(1000, 805))}).err,
               !Catch::Contains("warning"));
}

TEST_CASE("a custom format: lines it does not match are named as such", "[cli][fit]") {
    std::string jobs;
    for (int i = 0; i < 120; ++i) jobs += fmt::format("08:{:02}:{:02}|INFO|job {} done in {} ms\n", i / 60, i % 60, i, 5 + i % 7);
    const std::string model = train("fit-custom.json", write_temp("fit-jobs.log", jobs), {"-f", "<Time>|<Level>|<Content>"});
    const std::string app = write_temp("fit-app.log", example_log(0, 300));
    CHECK_THAT(run_logad({"score", "--records", "-m", model, app}).err,
               Catch::Contains("of lines do not match the model's format (<Time>|<Level>|<Content>"));
    CHECK(run_logad({"check", "-m", model, app}).status == 2);
}

TEST_CASE("train --update merges: a day without a component does not make the old normal log anomalous", "[cli][update]") {
    const std::string base = write_temp("upd-base.log", example_log(0, 1000));
    const std::string model = train("upd-merge.json", base);
    const std::size_t before = lines_of(run_logad({"score", "--records", "-q", "-m", model, base}).out);

    // The next day, with no CacheManager lines at all.
    std::istringstream in(example_log(0, 1000));
    std::string day2;
    for (std::string line; std::getline(in, line);)
        if (line.find("CacheManager") == std::string::npos) day2 += "2026-11-21" + line.substr(10) + "\n";
    const auto update = run_logad({"train", "--update", "-m", model, write_temp("upd-day2.log", day2)});
    REQUIRE(update.status == 0);
    CHECK_THAT(update.err, Catch::Contains("updated " + model));
    CHECK_THAT(update.err, !Catch::Contains(".update-"));  // no temporary file named

    const std::size_t after = lines_of(run_logad({"score", "--records", "-q", "-m", model, base}).out);
    CHECK(after <= before);
    CHECK(lines_of(run_logad({"score", "--records", "-q", "-m", model, write_temp("upd-day2.log", day2)}).out) <= before + 1);
}

TEST_CASE("train --update refuses a log that does not fit and leaves the model as it was", "[cli][update]") {
    const std::string model = train("upd-refuse.json", write_temp("upd-base.log", example_log(0, 1000)), {"-f", logad::test::k_app_log_format});
    REQUIRE(run_logad({"feedback", "-q", "-m", model, "--normal", "4242"}).status == 0);
    const std::string bytes = read_file(model);
    const std::string foreign = write_temp("upd-foreign.log", foreign_log(721));
    const auto refused = run_logad({"train", "--update", "-m", model, foreign});
    CHECK(refused.status == 2);
    CHECK_THAT(refused.err, Catch::StartsWith("logad train: error: " + foreign + " does not fit the model"));
    CHECK_THAT(refused.err, Catch::Contains("the model is unchanged"));
    CHECK(read_file(model) == bytes);

    // Into another file: that file is named, the model keeps its verdicts in the copy.
    const std::string copy = temp_path("upd-refuse-copy.json");
    std::filesystem::remove(copy);
    const auto update = run_logad({"train", "--update", "-m", model, "-o", copy, write_temp("upd-more.log", example_log(1000, 400))});
    REQUIRE(update.status == 0);
    CHECK_THAT(update.err, Catch::Contains("updated " + copy + " (templates, settings and 1 feedback verdicts kept;"));
    CHECK(read_file(model) == bytes);
    CHECK_THAT(run_logad({"feedback", "-m", copy, "--list"}).out, Catch::Contains("\"template_id\":4242"));
}

TEST_CASE("a model from before the fit figures and the history still scores, checks and updates", "[cli][update]") {
    const std::string base = write_temp("upd-old-base.log", example_log(0, 1000));
    const std::string model = train("upd-old.json", base, {"-f", logad::test::k_app_log_format});
    {
        auto doc = nlohmann::json::parse(read_file(model));
        REQUIRE(doc["pipeline"].contains("fit"));
        REQUIRE(doc["pipeline"].contains("history"));
        doc["pipeline"].erase("fit");
        doc["pipeline"].erase("history");
        std::ofstream(model, std::ios::binary | std::ios::trunc) << doc.dump();
    }
    const std::string rest = write_temp("upd-old-rest.log", example_log(1000, 805));
    CHECK_THAT(run_logad({"score", "--records", "-m", model, rest}).err, !Catch::Contains("warning"));
    CHECK(run_logad({"check", "-m", model, write_temp("upd-old-foreign.log", foreign_log(300))}).status == 2);
    const auto update = run_logad({"train", "--update", "-m", model, rest});
    CHECK(update.status == 0);
    CHECK_THAT(update.err, Catch::Contains("the model predates it"));
    CHECK(nlohmann::json::parse(read_file(model))["pipeline"].contains("history"));  // kept from now on
}

// Loghub's 2k samples: a model trained on the first half of one fits its second half, and not
// another sample's. BGL's second half has 70% new templates; Hadoop's header format matches
// OpenStack's lines by chance (other text lands where the level goes).
TEST_CASE("Loghub samples: a model fits its own log and not another", "[cli][fit][loghub]") {
    std::string root;
    if (const char* env = std::getenv("LOGAD_SHARED_DATA"); env && std::filesystem::is_directory(env)) root = env;
    else if (std::filesystem::is_directory(LOGAD_SOURCE_DIR "/../shared/data")) root = LOGAD_SOURCE_DIR "/../shared/data";
    if (root.empty() || !std::filesystem::exists(root + "/loghub-2k/BGL/BGL_2k.log")) {
        WARN("skipped: Loghub-2k not found (set LOGAD_SHARED_DATA)");
        return;
    }
    auto halves = [&](const std::string& name) {
        std::istringstream in(read_file(root + "/loghub-2k/" + name + "/" + name + "_2k.log"));
        std::string first, second, line;
        for (int i = 0; std::getline(in, line); ++i) (i < 1000 ? first : second) += line + "\n";
        return std::pair{write_temp("lh-" + name + "-a.log", first), write_temp("lh-" + name + "-b.log", second)};
    };
    const auto bgl = halves("BGL"), hadoop = halves("Hadoop"), openstack = halves("OpenStack");
    const std::string bgl_model = train("lh-bgl.json", bgl.first);
    CHECK_THAT(run_logad({"score", "--records", "-m", bgl_model, bgl.second}).err, !Catch::Contains("warning"));
    CHECK_THAT(run_logad({"score", "--records", "-m", bgl_model, hadoop.second}).err, Catch::Contains("warning"));
    const std::string hadoop_model =
        train("lh-hadoop.json", hadoop.first, {"-f", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>"});
    CHECK_THAT(run_logad({"score", "--records", "-m", hadoop_model, hadoop.second}).err, !Catch::Contains("warning"));
    CHECK(run_logad({"check", "-m", hadoop_model, openstack.second}).status == 2);
    CHECK(run_logad({"train", "--update", "-m", hadoop_model, openstack.second}).status == 2);
    CHECK(run_logad({"train", "--update", "-m", hadoop_model, hadoop.second}).status == 0);
}
