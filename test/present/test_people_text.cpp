// What feedback, templates and live runs say: verdicts as given and listed, template lists,
// receivers' counts and the Kafka log lines.
#include <logad/present/live_text.hpp>
#include <logad/present/template_list.hpp>
#include <logad/present/verdict_text.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace logad;

TEST_CASE("feedback: each verdict as given, notes and waits, nothing when quiet", "[present][feedback]") {
    std::ostringstream err;
    present::VerdictPrinter printer(false, 1'798'761'600'000, err);  // 2027-01-01
    printer.added(3, pipeline::Verdict::normal, "template 7 `Disk <*> full`");
    printer.added(4, pipeline::Verdict::anomaly, "template 8");
    printer.note("2 lines matched no template");
    printer.waiting("m.json");
    CHECK(err.str() == "logad feedback: normal  3: template 7 `Disk <*> full` until 2027-01-01T00:00:00.000Z\n"
                       "logad feedback: anomaly 4: template 8 until 2027-01-01T00:00:00.000Z\n"
                       "logad feedback: 2 lines matched no template\n"
                       "logad feedback: waiting for another logad to finish changing m.json\n");
    std::ostringstream quiet;
    present::VerdictPrinter silent(true, k_no_time, quiet);
    silent.added(3, pipeline::Verdict::normal, "template 7");
    silent.waiting("m.json");
    CHECK(quiet.str().empty());
}

TEST_CASE("feedback list: one JSON object a verdict, with its scope in words and its status", "[present][feedback]") {
    pipeline::Feedback feedback;
    pipeline::VerdictEntry used;
    used.id = 1;
    used.template_id = 7;
    used.silenced = 4;
    pipeline::VerdictEntry lapsed = used;
    lapsed.id = 2;
    lapsed.until_ms = 1000;
    pipeline::VerdictEntry fresh = used;
    fresh.id = 3;
    fresh.silenced = 0;
    feedback.verdicts = {used, lapsed, fresh};
    std::ostringstream out;
    present::print_verdicts(feedback, 2000, out);
    std::istringstream lines(out.str());
    std::vector<nlohmann::json> listed;
    for (std::string line; std::getline(lines, line);) listed.push_back(nlohmann::json::parse(line));
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].at("status") == "active");
    CHECK(listed[1].at("status") == "expired");
    CHECK(listed[2].at("status") == "never used");
    CHECK(listed[0].at("scope") == used.scope_text());
}

TEST_CASE("templates: aligned columns by id, or NDJSON most frequent first", "[present][templates]") {
    mine::TemplateMiner miner;
    for (const char* m : {"disk 1 of 9 is full now", "disk 2 of 9 is full now", "user alice logged in", "disk 3 of 9 is full now"}) {
        Event e;
        e.record.message = m;
        miner.learn(e);
    }
    std::ostringstream text;
    present::print_templates(miner, false, false, text);
    std::istringstream rows(text.str());
    std::vector<std::string> lines;
    for (std::string l; std::getline(rows, l);) lines.push_back(l);
    REQUIRE(lines.size() == miner.templates().size());
    CHECK(lines.front().substr(10, 2) == "  ");  // id right-aligned in 10 columns, then two spaces
    std::ostringstream json;
    present::print_templates(miner, true, true, json);
    const auto first = nlohmann::json::parse(json.str().substr(0, json.str().find('\n')));
    CHECK(first.at("count") == 3);  // the disk template, seen three times, comes first
    CHECK(first.contains("example"));
}

TEST_CASE("live text: receivers announced and counted, Kafka log lines prefixed", "[present][live]") {
    live::ReceiverSettings settings;
    settings.syslog = {"udp://127.0.0.1:0"};
    settings.otlp = {"http://127.0.0.1:0"};
    settings.otlp_token = "t";
    live::Receivers receivers(settings);
    std::ostringstream err;
    present::print_receiving(receivers, "parse", err);
    CHECK(err.str() == "logad parse: receiving " + receivers.names()[0] + "\nlogad parse: receiving " + receivers.names()[1] +
                           " (bearer token required)\n");
    receivers.stop();
    std::ostringstream summary;
    present::print_receiver_summary(receivers, "score", summary);
    CHECK(summary.str() == "logad score: " + receivers.names()[0] + ": 0 messages\nlogad score: " + receivers.names()[1] +
                               ": 0 messages\n");
    std::ostringstream kafka_err;
    present::kafka_log_printer(kafka_err)(3, "FAIL", "broker down");
    CHECK(kafka_err.str() == "logad score: kafka: FAIL: broker down\n");
}
