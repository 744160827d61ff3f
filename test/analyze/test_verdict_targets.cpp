// analyze::resolve_target: a template id, a file of targets (one a line), an empty file refused.
#include <logad/analyze/verdict_targets.hpp>
#include <logad/error.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace logad;

TEST_CASE("verdict targets: an id, a file of ids and log lines, stdin, and a file naming nothing is refused", "[analyze]") {
    const analyze::TrainResult trained = test::train_on_app_log(1000);
    const auto templates = trained.model.miner->templates();
    REQUIRE(templates.size() >= 3);
    pipeline::VerdictResolver resolver(trained.model, pipeline::Verdict::normal, pipeline::VerdictBy::scope);
    std::istringstream none;

    analyze::resolve_target(resolver, std::to_string(templates[0].id), none);
    CHECK(resolver.verdicts.size() == 1);

    const auto file = test::private_temp("targets.txt");
    std::ofstream(file) << std::to_string(templates[1].id) << "\n\n" << test::app_log_lines().at(3) << "\n";
    analyze::resolve_target(resolver, file.string(), none);
    CHECK(resolver.verdicts.size() == 3);  // the blank line names nothing and is skipped

    std::istringstream in(std::to_string(templates[2].id) + "\n");
    analyze::resolve_target(resolver, "-", in);
    CHECK(resolver.verdicts.size() == 4);

    const auto empty = test::private_temp("no-targets.txt");
    std::ofstream(empty) << "\n  \n";
    CHECK_THROWS_AS(analyze::resolve_target(resolver, empty.string(), none), InputError);
}
