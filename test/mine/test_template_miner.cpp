// The online miner: grouping, variable-length variables, parameters, stable ids, read-only
// matching, eviction and the JSON state.
#include <logad/error.hpp>
#include <logad/mine/template_miner.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

using namespace logad;
using namespace logad::mine;

namespace {

struct Result {
    std::uint32_t id;
    std::string text;
    std::vector<Param> params;
};

Result learn(TemplateMiner& miner, const std::string& message) {
    Event ev;
    ev.record.message = message;
    miner.learn(ev);
    return {ev.template_id, ev.template_text, ev.params};
}

// FNV-1a, 32 bits: the documented id rule, computed independently of the miner
std::uint32_t fnv(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
}

const std::vector<std::string> k_sshd = {
    "Accepted password for alice from 10.0.0.5 port 51022 ssh2",
    "Failed password for invalid user admin from 203.0.113.9 port 40022 ssh2",
    "Accepted password for bob from 10.0.0.6 port 51100 ssh2",
    "Received disconnect from 203.0.113.9: 11: Bye Bye [preauth]",
    "Failed password for invalid user oracle from 198.51.100.7 port 39921 ssh2",
    "Connection closed by 198.51.100.7 [preauth]",
    "Received disconnect from 198.51.100.7: 11: Bye Bye [preauth]",
    "Connection closed by 203.0.113.9 [preauth]",
};

}  // namespace

TEST_CASE("messages of one event share a template, others do not", "[mine]") {
    TemplateMiner miner;
    std::vector<Result> r;
    for (const std::string& m : k_sshd) r.push_back(learn(miner, m));
    CHECK(r[0].id == r[2].id);
    CHECK(r[0].text == "Accepted password for alice from <*> port <*> ssh2");  // the template then
    CHECK(r[2].text == "Accepted password for <*> from <*> port <*> ssh2");
    CHECK(r[1].id == r[4].id);
    CHECK(r[4].text == "Failed password for invalid user <*> from <*> port <*> ssh2");
    CHECK(r[3].id == r[6].id);
    CHECK(r[6].text == "Received disconnect from <*>: <*>: Bye Bye [preauth]");
    CHECK(r[5].id == r[7].id);
    CHECK(r[7].text == "Connection closed by <*> [preauth]");
    CHECK(miner.size() == 4);
    CHECK(r[0].id != r[1].id);
    CHECK(r[1].id != r[3].id);
    CHECK(r[3].id != r[5].id);
}

TEST_CASE("one differing word is a different event, unless it is a name", "[mine]") {
    TemplateMiner miner;
    const auto paused = learn(miner, "[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Paused (Lifecycle Event)");
    const auto resumed = learn(miner, "[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b4] VM Resumed (Lifecycle Event)");
    CHECK(paused.id != resumed.id);
    const auto root = learn(miner, "session closed for user root");
    const auto news = learn(miner, "session closed for user news");
    CHECK(root.id == news.id);
    CHECK(news.text == "session closed for user <*>");
    REQUIRE(news.params.size() == 1);
    CHECK(news.params[0].value == "news");
    CHECK(news.params[0].kind == ParamKind::word);
}

TEST_CASE("a value of a compound shape is a variable from its second value on", "[mine]") {
    // Loghub Android and Mac: learned on the first half with one value, the second half brings
    // another of the same shape (a dotted name, a URL in a key=value, a name before (pid))
    TemplateMiner miner;
    const auto tick = learn(miner, "received broadcast android.intent.action.TIME_TICK");
    learn(miner, "received broadcast android.intent.action.TIME_TICK");
    const auto battery = learn(miner, "received broadcast android.intent.action.BATTERY_CHANGED");
    CHECK(battery.id == tick.id);
    CHECK(battery.text == "received broadcast <*>");
    REQUIRE(battery.params.size() == 1);
    CHECK(battery.params[0].value == "android.intent.action.BATTERY_CHANGED");

    const auto qq = learn(miner, "ActivityRecord info: ActivityInfo{d1c8e63 com.tencent.mobileqq.activity.SplashActivity}, euid: 0");
    const auto notes = learn(miner, "ActivityRecord info: ActivityInfo{f39182 com.example.android.notepad.NotePadActivity}, euid: 0");
    CHECK(notes.id == qq.id);

    const auto gsp = learn(miner, "request failed UserInfo={URLKey=https://gsp-ssl.ls.apple.com/dispatcher.arpc, code=4");
    const auto gs = learn(miner, "request failed UserInfo={URLKey=https://gs-loc.apple.com/clls/wloc, code=4");
    CHECK(gs.id == gsp.id);
    CHECK(gs.text == "request failed <*> code=<*>");

    const auto sandbox = learn(miner, "Sandbox: QQ(10018) deny(1) mach-lookup com.apple.networking.captivenetworksupport");
    const auto quicklook = learn(miner, "Sandbox: QuickLookSatelli(38418) deny(1) mach-lookup com.apple.networkd");
    CHECK(quicklook.id == sandbox.id);
    CHECK(quicklook.text == "Sandbox: <*> deny(<*>) mach-lookup <*>");
}

TEST_CASE("a compound value does not make words, keys or the first token variables", "[mine]") {
    TemplateMiner miner;
    // another key before `=` is another field
    CHECK(learn(miner, "session opened uid=5 by cron.daily").id != learn(miner, "session opened euid=5 by cron.daily").id);
    // plain words stay events even beside a compound value
    CHECK(learn(miner, "job report.daily started").id != learn(miner, "job report.daily stopped").id);
    // the first token must still agree
    CHECK(learn(miner, "com.example.Foo loaded in 5 ms").id != learn(miner, "org.sample.Bar loaded in 5 ms").id);
    // punctuation around a plain word is no inner structure
    CHECK(learn(miner, "VM state is Paused.").id != learn(miner, "VM state is Resumed.").id);
    // a stack frame keeps its symbol: only the address and the offsets vary
    const auto fault = learn(miner, "[<c0123abc>] do_page_fault+0x1a/0x50");
    CHECK(learn(miner, "[<c0456def>] do_page_fault+0x2b/0x50").id == fault.id);
    CHECK(learn(miner, "[<c0789abc>] schedule+0x2b/0x60").id != fault.id);
    CHECK(learn(miner, "[<c0333abc>] do_page_fault+0x3c/0x50").text.find("do_page_fault+") != std::string::npos);
}

TEST_CASE("a variable may span a varying number of tokens", "[mine]") {
    TemplateMiner miner;
    const auto bob = learn(miner, "user Bob logged in from 10.0.0.1");
    const auto john = learn(miner, "user John Smith logged in from 10.0.0.2");
    const auto ann = learn(miner, "user Ann Marie Jones logged in from 10.0.0.3");
    CHECK(bob.id == john.id);
    CHECK(john.id == ann.id);
    CHECK(ann.text == "user <*> logged in from <*>");
    REQUIRE(ann.params.size() == 2);
    CHECK(ann.params[0].value == "Ann Marie Jones");
    CHECK(ann.params[1].value == "10.0.0.3");
    CHECK(ann.params[1].kind == ParamKind::ip);
    // and a shorter one after the template became variable-length
    const auto al = learn(miner, "user Al logged in from 10.0.0.4");
    CHECK(al.id == bob.id);
    // an extra word at the end is another event
    const auto other = learn(miner, "user Bob logged in twice from 10.0.0.1");
    CHECK(other.id != bob.id);
}

TEST_CASE("sizes with and without a detail in brackets group together", "[mine]") {
    TemplateMiner miner;
    const auto a = learn(miner, "www.example.com:443 close, 1268 bytes (1.23 KB) sent, 6274 bytes (6.12 KB) received, lifetime <1 sec");
    const auto b = learn(miner, "www.example.com:443 close, 451 bytes sent, 422 bytes received, lifetime 00:02");
    const auto c = learn(miner, "api.example.org:80 close, 0 bytes sent, 18846 bytes (18.4 KB) received, lifetime 00:01");
    CHECK(a.id == b.id);
    CHECK(b.id == c.id);
    CHECK(c.text == "<*> close, <*> sent, <*> received, lifetime <*>");
}

TEST_CASE("parameters come in order with their kinds", "[mine]") {
    TemplateMiner miner;
    const auto r = learn(miner, "Received block blk_3587508140051953248 of size 67108864 from /10.251.42.84");
    CHECK(r.text == "Received block <*> of size <*> from <*>");
    REQUIRE(r.params.size() == 3);
    CHECK(r.params[0].value == "blk_3587508140051953248");
    CHECK(r.params[0].kind == ParamKind::id);
    CHECK(r.params[1].value == "67108864");
    CHECK(r.params[1].kind == ParamKind::number);
    CHECK(r.params[2].value == "/10.251.42.84");
    CHECK(r.params[2].kind == ParamKind::ip);
}

TEST_CASE("template ids follow the documented rule and are stable across runs", "[mine]") {
    TemplateMiner first, second;
    std::vector<std::uint32_t> a, b;
    for (const std::string& m : k_sshd) a.push_back(learn(first, m).id);
    for (const std::string& m : k_sshd) b.push_back(learn(second, m).id);
    CHECK(a == b);
    // the id is the FNV-1a hash of the first masked form
    CHECK(a[0] == fnv("Accepted password for alice from <*> port <*> ssh2"));
    CHECK(a[5] == fnv("Connection closed by <*> [preauth]"));
    // and stays when the template generalises
    CHECK(learn(first, "Accepted password for carol from 10.1.1.1 port 2 ssh2").id == a[0]);
}

TEST_CASE("templates() lists id, text, count and the first example", "[mine]") {
    TemplateMiner miner;
    for (const std::string& m : k_sshd) learn(miner, m);
    const auto list = miner.templates();
    REQUIRE(list.size() == 4);
    for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i - 1].id < list[i].id);
    std::uint64_t total = 0;
    for (const auto& t : list) {
        total += t.count;
        if (t.text == "Connection closed by <*> [preauth]") {
            CHECK(t.count == 2);
            CHECK(t.example == "Connection closed by 198.51.100.7 [preauth]");
        }
    }
    CHECK(total == k_sshd.size());
}

TEST_CASE("match() is read-only", "[mine]") {
    TemplateMiner miner;
    for (const std::string& m : k_sshd) learn(miner, m);
    const auto before = miner.templates();

    Event ev;
    ev.record.message = "Accepted password for dave from 10.9.9.9 port 1 ssh2";
    CHECK(miner.match(ev));
    CHECK(ev.template_text == "Accepted password for <*> from <*> port <*> ssh2");
    CHECK(ev.template_id == fnv("Accepted password for alice from <*> port <*> ssh2"));

    ev.record.message = "kernel: eth0 link is up, latency 12 ms";
    CHECK_FALSE(miner.match(ev));
    CHECK(ev.template_id == 0);
    CHECK(ev.template_text == "kernel: eth0 link is up, latency <*>");
    REQUIRE(ev.params.size() == 1);
    CHECK(ev.params[0].value == "12 ms");
    CHECK(ev.params[0].kind == ParamKind::duration);

    const auto after = miner.templates();
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].id == before[i].id);
        CHECK(after[i].text == before[i].text);
        CHECK(after[i].count == before[i].count);
    }
}

TEST_CASE("memory is bounded: the least recently used template is evicted", "[mine]") {
    MinerOptions options;
    options.max_templates = 3;
    TemplateMiner miner(options);
    const auto a = learn(miner, "alpha service started");
    learn(miner, "beta queue drained");
    learn(miner, "gamma cache flushed");
    learn(miner, "alpha service started");  // alpha is now the most recent
    learn(miner, "delta disk mounted");     // evicts beta
    learn(miner, "epsilon job queued");     // evicts gamma
    CHECK(miner.size() == 3);
    CHECK(miner.stats().evicted == 2);
    std::vector<std::string> texts;
    for (const auto& t : miner.templates()) texts.push_back(t.text);
    CHECK_THAT(texts, Catch::Matchers::UnorderedEquals(
                          std::vector<std::string>{"alpha service started", "delta disk mounted", "epsilon job queued"}));
    CHECK(learn(miner, "alpha service started").id == a.id);
    // an evicted event comes back as a new template with the same id rule
    CHECK(learn(miner, "beta queue drained").id == fnv("beta queue drained"));
    CHECK(miner.size() == 3);
}

TEST_CASE("memory is bounded in bytes too: huge unique messages evict the least recently used", "[mine]") {
    MinerOptions options;
    options.max_bytes = 4 << 20;
    TemplateMiner miner(options);
    std::uint32_t seed = 1;
    const auto huge_unique = [&seed] {  // 200 KB of letter words, different every time
        std::string m = "State dump";
        while (m.size() < 200'000) {
            m += ' ';
            for (int n = 0; n < 7; ++n) {
                seed = seed * 1664525u + 1013904223u;
                m += static_cast<char>('a' + (seed >> 24) % 26);
            }
        }
        return m;
    };
    const auto a = learn(miner, "alpha service started");
    for (int n = 0; n < 60; ++n) {
        learn(miner, huge_unique());
        CHECK(learn(miner, "alpha service started").id == a.id);  // used all along: kept
        CHECK(miner.bytes() <= options.max_bytes);
    }
    CHECK(miner.stats().evicted > 40);
    CHECK(miner.size() < 20);
    // The state keeps the bound when read back.
    CHECK(TemplateMiner::from_json(miner.to_json()).bytes() == miner.bytes());
}

TEST_CASE("learn_masked gives the caller no huge buffers of an earlier message", "[mine]") {
    // `parse --threads` hands each block slot's masked message over and gets the miner's back:
    // a huge one would wander from slot to slot until every slot in flight held one.
    TemplateMiner miner;
    MaskedMessage masked;
    Event huge;
    huge.record.message = "State dump " + std::string(300'000, 'a');
    miner.masker().mask(huge.record.message, masked);
    miner.learn_masked(huge, masked);
    Event small;
    small.record.message = "alpha service started";
    miner.masker().mask(small.record.message, masked);
    miner.learn_masked(small, masked);  // the miner held the huge one's buffers
    CHECK(masked.text.capacity() + masked.scratch.capacity() < 64 * 1024);
    CHECK(small.template_text == "alpha service started");
}

TEST_CASE("state survives a to_json/from_json round trip", "[mine]") {
    MinerOptions options;
    options.masks = {{"order", "ORD-[0-9A-Z]+"}};
    options.max_templates = 50;
    TemplateMiner original(options);
    for (std::size_t i = 0; i < 5; ++i) learn(original, k_sshd[i]);
    learn(original, "order ORD-X1 shipped");
    learn(original, "user Bob logged in from 10.0.0.1");
    learn(original, "user John Smith logged in from 10.0.0.2");

    TemplateMiner loaded = TemplateMiner::from_json(nlohmann::json::parse(original.to_json().dump()));
    CHECK(loaded.size() == original.size());
    const nlohmann::json a = original.to_json(), b = loaded.to_json();
    CHECK(a["templates"] == b["templates"]);
    CHECK(a["options"] == b["options"]);
    auto sorted = [](nlohmann::json cache) {
        std::vector<std::string> out;
        for (const auto& e : cache) out.push_back(e.dump());
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(sorted(a["cache"]) == sorted(b["cache"]));

    // both continue identically, user masks included
    const std::vector<std::string> more = {k_sshd[5], k_sshd[6], k_sshd[7], "order ORD-Y2 shipped",
                                           "user Ann Marie Jones logged in from 10.0.0.3", "brand new event here"};
    for (const std::string& m : more) {
        const auto x = learn(original, m);
        const auto y = learn(loaded, m);
        CHECK(x.id == y.id);
        CHECK(x.text == y.text);
    }
    CHECK(learn(loaded, "order ORD-Z3 shipped").text == "order <*> shipped");
}

TEST_CASE("a damaged state is refused with FormatError", "[mine]") {
    TemplateMiner miner;
    for (const std::string& m : k_sshd) learn(miner, m);
    const nlohmann::json good = miner.to_json();
    REQUIRE_NOTHROW(TemplateMiner::from_json(good));

    auto damaged = [&](auto&& change) {
        nlohmann::json j = good;
        change(j);
        CHECK_THROWS_AS(TemplateMiner::from_json(j), FormatError);
    };
    CHECK_THROWS_AS(TemplateMiner::from_json(nlohmann::json::array()), FormatError);
    CHECK_THROWS_AS(TemplateMiner::from_json(nlohmann::json("text")), FormatError);
    damaged([](nlohmann::json& j) { j.erase("templates"); });
    damaged([](nlohmann::json& j) { j["options"]["max_templates"] = "many"; });
    damaged([](nlohmann::json& j) { j["options"]["masks"] = {{{"name", "x"}, {"pattern", "(bad"}}}; });
    damaged([](nlohmann::json& j) { j["templates"][0]["id"] = 0; });
    damaged([](nlohmann::json& j) { j["templates"][1]["id"] = j["templates"][0]["id"]; });
    damaged([](nlohmann::json& j) { j["templates"][0]["slots"].push_back(0); });
    damaged([](nlohmann::json& j) { j["templates"][0]["slots"][0] = 7; });
    // Found by fuzz_miner_state: 1e308 where an integer belongs was cast out of range (UBSan);
    // a negative id or cap wrapped around and was accepted.
    damaged([](nlohmann::json& j) { j["templates"][0]["slots"][0] = 1e308; });
    damaged([](nlohmann::json& j) { j["templates"][0]["id"] = 1e308; });
    damaged([](nlohmann::json& j) { j["templates"][0]["id"] = -1; });
    damaged([](nlohmann::json& j) { j["options"]["max_templates"] = -5; });
    damaged([](nlohmann::json& j) { j["cache"][0][1] = 2.5; });
    damaged([](nlohmann::json& j) { j["templates"][0]["tokens"][0] = "two words"; });
    damaged([](nlohmann::json& j) { j["templates"][0]["tokens"] = {"a"}; j["templates"][0]["slots"] = {2}; });
    damaged([](nlohmann::json& j) { j["templates"][0]["count"] = -1; });
    damaged([](nlohmann::json& j) { j["cache"].push_back({"some form", 12345}); });
    damaged([](nlohmann::json& j) { j["cache"].push_back("not a pair"); });
}

TEST_CASE("empty and whitespace-only messages get a template too", "[mine]") {
    TemplateMiner miner;
    const auto a = learn(miner, "");
    const auto b = learn(miner, "   ");
    CHECK(a.id == b.id);
    CHECK(a.id != 0);
    CHECK(a.text.empty());
    CHECK(a.params.empty());
}
