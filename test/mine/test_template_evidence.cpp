// Variables from evidence (issue 12): free text merges into one template, values that alternate
// stay separate events, merged ids keep resolving, and the state carries all of it.
#include <logad/error.hpp>
#include <logad/mine/template_miner.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::mine;

namespace {

struct Learned {
    std::uint32_t id;
    std::string text;
};

Learned learn_one(TemplateMiner& miner, const std::string& message) {
    Event ev;
    ev.record.message = message;
    miner.learn(ev);
    return {ev.template_id, ev.template_text};
}

// the ids of `lines` once merged templates are resolved
std::set<std::uint32_t> resolved_ids(TemplateMiner& miner, const std::vector<std::string>& lines) {
    std::vector<std::uint32_t> ids;
    for (const auto& l : lines) ids.push_back(learn_one(miner, l).id);
    std::set<std::uint32_t> out;
    for (std::uint32_t id : ids) out.insert(miner.resolve(id));
    return out;
}

const std::vector<std::string> k_names = {"alice", "judy", "peca", "mallory", "olivia", "trent", "zuka", "rimo"};

}  // namespace

TEST_CASE("names no word list knows become a variable from evidence", "[mine]") {
    TemplateMiner miner;
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < k_names.size(); ++i)
        lines.push_back("Order ORD-" + std::to_string(1000 + i) + " created for customer " + k_names[i] + " with " +
                        std::to_string(i + 1) + " items");
    const auto ids = resolved_ids(miner, lines);
    CHECK(ids.size() == 1);
    CHECK(miner.size() == 1);
    CHECK(miner.templates().at(0).text == "Order <*> created for customer <*> with <*> items");
    CHECK(miner.templates().at(0).count == lines.size());
    // a customer never seen before matches read-only
    Event ev;
    ev.record.message = "Order ORD-99 created for customer newcomer with 2 items";
    CHECK(miner.match(ev));
    CHECK(ev.template_id == *ids.begin());
    CHECK(ev.params.at(1).value == "newcomer");
}

TEST_CASE("the first token may vary: daemons, as a first token", "[mine]") {
    TemplateMiner miner;
    const auto ids = resolved_ids(miner, {"cupsd startup succeeded", "syslogd startup succeeded", "klogd startup succeeded",
                                          "portmap startup succeeded", "hcid startup succeeded", "sdpd startup succeeded"});
    CHECK(ids.size() == 1);
    CHECK(miner.templates().at(0).text == "<*> startup succeeded");
}

TEST_CASE("values that each recur and alternate stay separate events", "[mine]") {
    TemplateMiner miner;
    std::vector<std::string> lines;
    const std::vector<std::string> states = {"Started", "Paused", "Resumed", "Stopped"};
    for (int round = 0; round < 10; ++round)
        for (const auto& s : states)
            lines.push_back("[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM " + s + " (Lifecycle Event)");
    for (int round = 0; round < 10; ++round) {
        lines.push_back("session opened for user root by (uid=0)");
        lines.push_back("session closed for user root");
    }
    for (std::size_t i = 0; i < k_names.size(); ++i) {
        lines.push_back("Accepted password for " + k_names[i] + " from 10.0.0." + std::to_string(i) + " port 22 ssh2");
        lines.push_back("Failed password for " + k_names[i] + " from 10.0.0." + std::to_string(i) + " port 22 ssh2");
    }
    const auto ids = resolved_ids(miner, lines);
    CHECK(ids.size() == 4 + 2 + 2);
    std::set<std::string> texts;
    for (const auto& t : miner.templates()) texts.insert(t.text);
    CHECK(texts.count("[instance: <*>] VM Paused (Lifecycle Event)") == 1);
    CHECK(texts.count("[instance: <*>] VM Resumed (Lifecycle Event)") == 1);
    CHECK(texts.count("Accepted password for <*> from <*> port <*> ssh2") == 1);
    CHECK(texts.count("Failed password for <*> from <*> port <*> ssh2") == 1);
}

TEST_CASE("a handful of values seen again and again is an enumeration, not free text", "[mine]") {
    // HPC: six commands, two of them in most lines
    TemplateMiner miner;
    std::vector<std::string> lines;
    for (int i = 0; i < 12; ++i) lines.push_back(std::string(i % 2 ? "boot" : "wait") + " (command " + std::to_string(1900 + i) + ")");
    for (const char* c : {"halt", "risBoot", "clusterAddMember", "bootGenvmunix"})
        lines.push_back(std::string(c) + " (command 2000)");
    CHECK(resolved_ids(miner, lines).size() == 6);
}

TEST_CASE("unrelated one-word and two-word messages never merge", "[mine]") {
    TemplateMiner miner;
    CHECK(resolved_ids(miner, {"start", "stop", "ready", "done", "idle", "busy", "flush", "sync"}).size() == 8);
    CHECK(resolved_ids(miner, {"VM start", "VM stop", "VM ready", "VM done", "VM idle", "VM busy"}).size() == 6);
}

TEST_CASE("free text in quotes and names in parentheses are one variable", "[mine]") {
    TemplateMiner miner;
    const auto queries = resolved_ids(
        miner, {R"(search "red shoes" returned 4 results)", R"(search "winter wool jacket" returned 0 results)",
                R"(search "lamp" returned 12 results)", R"(search "coffee grinder" returned 3 results)",
                R"(search "tent" returned 9 results)", R"(search "blue" returned 1 results)",
                R"(search "garden hose set" returned 7 results)", R"(search "mug" returned 2 results)"});
    CHECK(queries.size() == 1);
    const auto killed = resolved_ids(miner, {"Killed process 4242 (python).", "Killed process 17 (sendmail).",
                                             "Killed process 99 (rpc.statd).", "Killed process 7 (java).",
                                             "Killed process 8 (nginx).", "Killed process 9 (perl)."});
    CHECK(killed.size() == 1);
}

TEST_CASE("two free fields in one message merge, a state machine's transitions do not", "[mine]") {
    TemplateMiner miner;
    const std::vector<std::string> products = {"SilverKettle", "RedLamp", "WoolSocks", "TeaMug", "BikeHelmet", "DeskClock"};
    std::vector<std::string> views;
    for (std::size_t i = 0; i < products.size(); ++i)
        views.push_back("Product " + products[i] + " viewed by customer " + k_names[i]);
    CHECK(resolved_ids(miner, views).size() == 1);

    const std::vector<std::string> chain = {"NEW", "UNASSIGNED", "ASSIGNED", "RUNNING", "COMMIT_PENDING", "SUCCESS_CLEANUP", "SUCCEEDED"};
    std::vector<std::string> transitions;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i)
        transitions.push_back("attempt_1445_0001 TaskAttempt Transitioned from " + chain[i] + " to " + chain[i + 1]);
    CHECK(resolved_ids(miner, transitions).size() == transitions.size());
}

TEST_CASE("merged ids resolve, also after a state round trip, and are not handed out again", "[mine]") {
    TemplateMiner miner;
    std::vector<std::uint32_t> ids;
    for (const auto& n : k_names) ids.push_back(learn_one(miner, "daily report mailed to " + n + " at noon").id);
    const std::uint32_t survivor = ids.front();
    CHECK(std::set<std::uint32_t>(ids.begin(), ids.end()).size() > 1);  // created apart, merged later
    for (std::uint32_t id : ids) CHECK(miner.resolve(id) == survivor);
    CHECK(miner.resolve(12345) == 12345);  // an unknown id stays itself

    const TemplateMiner loaded = TemplateMiner::from_json(nlohmann::json::parse(miner.to_json().dump()));
    for (std::uint32_t id : ids) CHECK(loaded.resolve(id) == survivor);
    CHECK(loaded.to_json()["aliases"] == miner.to_json()["aliases"]);
}

TEST_CASE("evidence gathered before a save carries on after loading", "[mine]") {
    TemplateMiner original;
    for (std::size_t i = 0; i < 3; ++i) learn_one(original, "backup of volume for tenant " + k_names[i] + " finished");
    TemplateMiner loaded = TemplateMiner::from_json(nlohmann::json::parse(original.to_json().dump()));
    for (std::size_t i = 3; i < 6; ++i) {
        const auto a = learn_one(original, "backup of volume for tenant " + k_names[i] + " finished");
        const auto b = learn_one(loaded, "backup of volume for tenant " + k_names[i] + " finished");
        CHECK(a.id == b.id);
        CHECK(a.text == b.text);
    }
    CHECK(loaded.size() == 1);
    CHECK(loaded.templates().at(0).text == "backup of volume for tenant <*> finished");
}

TEST_CASE("a state written before merges existed (no aliases, no groups) loads", "[mine]") {
    TemplateMiner miner;
    learn_one(miner, "Connection closed by 10.0.0.1 [preauth]");
    nlohmann::json old = miner.to_json();
    old.erase("aliases");
    old.erase("groups");
    const TemplateMiner loaded = TemplateMiner::from_json(old);
    CHECK(loaded.size() == 1);
    CHECK(loaded.resolve(loaded.templates().at(0).id) == loaded.templates().at(0).id);
}

TEST_CASE("damaged aliases and evidence groups are refused with FormatError", "[mine]") {
    TemplateMiner miner;
    for (const auto& n : k_names) learn_one(miner, "daily report mailed to " + n + " at noon");
    for (std::size_t i = 0; i < 2; ++i) learn_one(miner, "weekly digest sent to " + k_names[i] + " at night");
    const nlohmann::json good = miner.to_json();
    REQUIRE(good["aliases"].size() > 0);
    REQUIRE(good["groups"].size() > 0);
    REQUIRE_NOTHROW(TemplateMiner::from_json(good));
    auto damaged = [&](auto&& change) {
        nlohmann::json j = good;
        change(j);
        CHECK_THROWS_AS(TemplateMiner::from_json(j), FormatError);
    };
    damaged([](nlohmann::json& j) { j["aliases"][0] = "x"; });
    damaged([](nlohmann::json& j) { j["aliases"][0][0] = 1e308; });
    damaged([](nlohmann::json& j) { j["aliases"][0][0] = j["templates"][0]["id"]; });  // a live id
    damaged([](nlohmann::json& j) { j["aliases"].push_back(j["aliases"][0]); });        // repeated
    damaged([](nlohmann::json& j) { j["groups"][0][2][0] = 1e308; });
    damaged([](nlohmann::json& j) { j["groups"][0][2] = "ids"; });
    damaged([](nlohmann::json& j) { j["groups"][0][0] = 300; });
    damaged([](nlohmann::json& j) { j["groups"][0] = {1, 2}; });
}

TEST_CASE("events mined before a merge are refreshed to the merged template", "[mine]") {
    TemplateMiner miner;
    std::vector<Event> events;
    for (std::size_t i = 0; i < k_names.size(); ++i) {
        Event e;
        e.record.message = "Order ORD-" + std::to_string(1000 + i) + " created for customer " + k_names[i] + " with " +
                           std::to_string(i + 1) + " items";
        miner.learn(e);
        events.push_back(std::move(e));
    }
    REQUIRE(miner.size() == 1);
    const std::uint32_t survivor = miner.templates().at(0).id;
    // the first lines were mined when the customer's name was still a constant
    CHECK(events.front().template_text != miner.templates().at(0).text);
    logad::mine::refresh_merged(miner, events);
    for (std::size_t i = 0; i < events.size(); ++i) {
        INFO(events[i].record.message);
        CHECK(events[i].template_id == survivor);
        CHECK(events[i].template_text == "Order <*> created for customer <*> with <*> items");
        REQUIRE(events[i].params.size() == 3);
        CHECK(events[i].params[1].value == k_names[i]);
    }
}
