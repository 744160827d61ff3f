// analyze::train and read_training_input: raw logs in, a model out, through the library API.
#include <logad/analyze/log_input.hpp>
#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/mine/miner_state.hpp>

#include "analyze_support.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <sstream>

using namespace logad;

TEST_CASE("train: examples/app.log gives a model with line and window parts and the input's figures", "[analyze]") {
    const analyze::TrainResult r = test::train_on_app_log(1000);
    CHECK(r.lines == 1000);
    CHECK(r.records == 1000);
    CHECK(r.bad_events == 0);
    CHECK(r.parse.unparsed == 0);
    CHECK_FALSE(r.files_reordered);
    REQUIRE(r.parts.size() == 2);
    CHECK(r.parts[0].per == featurize::Granularity::line);
    CHECK(r.parts[0].rows == 1000);
    CHECK(r.parts[1].per == featurize::Granularity::window);
    CHECK(r.model.space.templates.size() >= 5);
    CHECK(r.model.fit_profile.records == 1000);
    CHECK(r.model.fit_profile.unseen == r.model.space.templates.size());  // each template was new once
}

TEST_CASE("train: a session key adds a session part", "[analyze]") {
    analyze::TrainRequest request;
    request.files = {test::app_log_part("train-session.log", 0, 600)};
    request.parse.format.format = test::k_app_format;
    request.settings.granularities = {featurize::Granularity::session};
    request.settings.key = "Thread";
    std::istringstream none;
    const analyze::TrainResult r = analyze::train(request, none);
    REQUIRE(r.parts.size() == 1);
    CHECK(r.parts[0].per == featurize::Granularity::session);
    CHECK(r.model.baseline.sessions > 0);
}

TEST_CASE("train: files given newest first are read in the order of their first times", "[analyze]") {
    analyze::TrainRequest request;
    const std::string older = test::app_log_part("order-a.log", 0, 300);
    const std::string newer = test::app_log_part("order-b.log", 300, 600);
    request.files = {newer, older};
    request.parse.format.format = test::k_app_format;
    std::istringstream none;
    const analyze::TrainResult r = analyze::train(request, none);
    CHECK(r.files_reordered);
    CHECK(r.files == std::vector<std::string>{older, newer});
    CHECK_THAT(analyze::file_order_note(r.files), Catch::Contains("2 files in the order of their first timestamps"));
}

TEST_CASE("train: a numeric table is refused unless the claim says logs, and a bad algorithm before reading",
          "[analyze]") {
    const auto table = test::private_temp("table.csv");
    std::ofstream(table) << "a,b\n1,2\n3,4\n";
    analyze::TrainRequest request;
    request.files = {table.string()};
    std::istringstream none;
    CHECK_THROWS_AS(analyze::train(request, none), UsageError);
    request.files = {"/nonexistent/never-read.log"};
    request.settings.algo = "no-such-algorithm";
    CHECK_THROWS_AS(analyze::train(request, none), UsageError);  // not an InputError for the file
}

TEST_CASE("train: the input's kind comes from the claim and the format", "[analyze]") {
    parse::FormatOptions format;
    CHECK(analyze::input_claim(format) == io::InputClaim::guess);
    format.format = "json";
    CHECK(analyze::input_claim(format) == io::InputClaim::logs);
    format = {};
    format.regex = "(?P<message>.*)";
    CHECK(analyze::input_claim(format) == io::InputClaim::logs);
    CHECK(analyze::format_text(format) == "regex (?P<message>.*)");
}

TEST_CASE("train: a miner state file is continued, so template ids match `logad parse --state`", "[analyze]") {
    const analyze::TrainResult first = test::train_on_app_log(400, "state-first.log");
    const auto state = test::private_temp("train.state");
    mine::save_miner(state.string(), *first.model.miner);
    analyze::TrainRequest request;
    request.files = {test::app_log_part("state-second.log", 400, 800)};
    request.parse.format.format = test::k_app_format;
    request.miner_state = state.string();
    std::istringstream none;
    const analyze::TrainResult second = analyze::train(request, none);
    std::set<std::uint32_t> known;
    for (const auto& t : second.model.miner->templates()) known.insert(t.id);
    for (const auto& t : first.model.miner->templates())
        CHECK(known.count(second.model.miner->resolve(t.id)) == 1);  // known ids stay (or name their merge)
    CHECK(second.model.miner->size() >= first.model.miner->size());
}
