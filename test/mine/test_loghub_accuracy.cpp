// Grouping accuracy of the default miner on Loghub-2k (the Content column, no header parsing),
// so a change that hurts accuracy fails here. Skipped with a warning without ../shared/data.
#include "loghub_eval.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

using namespace logad;

namespace {

void dump_mismatches(const std::string& name, const test::DatasetRun& run, const char* dir) {
    // LOGAD_ACC_DUMP=dir writes, per dataset, each truth group the miner got wrong
    const std::string path = std::string(dir) + "/" + name + ".txt";
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return;
    std::map<std::string, std::vector<std::size_t>> by_truth;
    std::map<std::uint32_t, std::size_t> pred_size;
    for (std::size_t i = 0; i < run.truth.size(); ++i) {
        by_truth[run.truth[i].first].push_back(i);
        ++pred_size[run.predicted[i].first];
    }
    for (const auto& [label, lines] : by_truth) {
        std::map<std::uint32_t, std::size_t> ids;
        for (std::size_t i : lines) ++ids[run.predicted[i].first];
        const bool ok = ids.size() == 1 && pred_size[ids.begin()->first] == lines.size();
        const bool pa = test::normalise_template(run.truth[lines[0]].second) ==
                        test::normalise_template(run.predicted[lines[0]].second);
        if (ok && pa) continue;
        std::fprintf(f, "== %s %s (%zu lines) truth: %s\n", ok ? "PA" : "GA", label.c_str(), lines.size(),
                     run.truth[lines[0]].second.c_str());
        for (const auto& [id, n] : ids) {
            std::size_t example = 0;
            for (std::size_t i : lines)
                if (run.predicted[i].first == id) {
                    example = i;
                    break;
                }
            std::fprintf(f, "   %zu/%zu of pred %u: %s\n      e.g. %s\n", n, pred_size[id], id,
                         run.predicted[example].second.c_str(), run.contents[example].c_str());
        }
    }
    std::fclose(f);
}

}  // namespace

TEST_CASE("default miner reaches the grouping accuracy floor on Loghub-2k", "[mine][loghub]") {
    const std::string root = test::shared_data_dir() + "/loghub-2k";
    if (!std::filesystem::exists(root + "/HDFS/HDFS_2k.log_structured.csv")) {
        WARN("skipped: Loghub-2k not found under " << root << " (set LOGAD_SHARED_DATA)");
        return;
    }
    const char* dump = std::getenv("LOGAD_ACC_DUMP");
    double sums[2][4] = {};
    double lowest_ga = 1;
    std::string table = "| dataset | GA | FGA | PA | FTA | GA (corr.) | FGA (corr.) | PA (corr.) | FTA (corr.) |\n"
                        "|---|---|---|---|---|---|---|---|---|\n";
    char buf[256];
    for (const std::string& ds : test::loghub_datasets()) {
        std::string line = "| " + ds;
        for (int corrected = 0; corrected < 2; ++corrected) {
            const std::string csv = root + "/" + ds + "/" + ds + "_2k.log_structured" + (corrected ? "_corrected" : "") + ".csv";
            const test::DatasetRun run = test::run_dataset(csv);
            REQUIRE(run.truth.size() == 2000);
            const test::Scores s = test::score(run.truth, run.predicted);
            std::snprintf(buf, sizeof buf, " | %.3f | %.3f | %.3f | %.3f", s.ga, s.fga, s.pa, s.fta);
            line += buf;
            sums[corrected][0] += s.ga;
            sums[corrected][1] += s.fga;
            sums[corrected][2] += s.pa;
            sums[corrected][3] += s.fta;
            lowest_ga = std::min(lowest_ga, s.ga);
            if (dump) dump_mismatches(ds + (corrected ? "_corrected" : ""), run, dump);
        }
        table += line + " |\n";
    }
    const double n = static_cast<double>(test::loghub_datasets().size());
    std::snprintf(buf, sizeof buf, "| **mean** | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", sums[0][0] / n,
                  sums[0][1] / n, sums[0][2] / n, sums[0][3] / n, sums[1][0] / n, sums[1][1] / n, sums[1][2] / n,
                  sums[1][3] / n);
    table += buf;
    if (std::getenv("LOGAD_ACC_PRINT")) std::fputs(table.c_str(), stdout);
    INFO(table);
    // the targets of issue 2
    CHECK(sums[0][0] / n >= 0.95);
    CHECK(sums[1][0] / n >= 0.93);
    CHECK(sums[1][2] / n >= 0.60);
    CHECK(lowest_ga >= 0.80);
}
