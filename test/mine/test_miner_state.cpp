// The miner state file (<logad/mine/miner_state.hpp>): what a run saves, the next one continues
// with the same template ids; a damaged file or one of a newer logad is refused, never replaced.
#include <logad/error.hpp>
#include <logad/mine/miner_state.hpp>

#include "../support/support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace logad;

namespace {

std::uint32_t mined_id(mine::TemplateMiner& miner, const std::string& message) {
    Event e;
    e.record.message = message;
    miner.learn(e);
    return e.template_id;
}

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("miner state: a missing file gives a fresh miner with the options given", "[mine]") {
    const auto path = test::private_temp("state-missing.json");
    std::filesystem::remove(path);
    mine::MinerOptions options;
    options.masks.push_back({"order", "ORD-\\d+"});
    mine::TemplateMiner miner = mine::load_or_create_miner(path.string(), options);
    CHECK(miner.size() == 0);
    Event e;
    e.record.message = "shipped ORD-123";
    miner.learn(e);
    CHECK(e.template_text.find("ORD-123") == std::string::npos);  // the user's mask applied
    CHECK_FALSE(std::filesystem::exists(path));                   // loading writes nothing
}

TEST_CASE("miner state: saved and loaded, template ids and learned templates carry over", "[mine]") {
    const auto path = test::private_temp("state-roundtrip.json");
    mine::TemplateMiner first;
    const auto a = mined_id(first, "user alice logged in from 10.0.0.1");
    const auto b = mined_id(first, "disk /dev/sda1 is 91% full");
    mine::save_miner(path.string(), first);

    mine::TemplateMiner again = mine::load_or_create_miner(path.string(), {});
    CHECK(again.size() == first.size());
    CHECK(mined_id(again, "user bob logged in from 10.0.0.2") == a);
    CHECK(mined_id(again, "disk /dev/sdb2 is 95% full") == b);
    const auto doc = nlohmann::json::parse(test::read_all(path));
    CHECK(doc.at("format") == "logad-miner-state");
    std::filesystem::remove(path);
}

TEST_CASE("miner state: a damaged or too new file is refused, and left as it was", "[mine]") {
    const auto path = test::private_temp("state-bad.json");
    mine::TemplateMiner miner;
    mined_id(miner, "service started");
    mine::save_miner(path.string(), miner);
    auto doc = nlohmann::json::parse(test::read_all(path));

    SECTION("cut short") {
        const std::string text = test::read_all(path);
        write_text(path, text.substr(0, text.size() / 2));
    }
    SECTION("no miner section") {
        doc.erase("miner");
        write_text(path, doc.dump());
    }
    SECTION("written by a newer logad") {
        doc["version"] = 999;
        write_text(path, doc.dump());
    }
    const std::string before = test::read_all(path);
    CHECK_THROWS_AS(mine::load_or_create_miner(path.string(), {}), FormatError);
    try {
        mine::load_or_create_miner(path.string(), {});
    } catch (const FormatError& e) {
        CHECK(std::string(e.what()).find(path.filename().string()) != std::string::npos);  // names the file
    }
    CHECK(test::read_all(path) == before);
    std::filesystem::remove(path);
}
