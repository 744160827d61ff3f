// The --state file loader (`logad parse --state`): a "logad-miner-state" document around the
// template miner's JSON. A damaged or edited state must be a FormatError; a state that loads
// must mine new messages and save again to a state that loads to the same templates. Version 2
// states carry an alias table and evidence groups: the messages include names enough to merge a
// group, so a loaded group or alias meets new merges; every event names a live template that
// resolves to itself, and ids resolve the same after the reload.
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/util/versioned_file.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    const nlohmann::json doc = nlohmann::json::parse(fuzz::as_text(data, size), nullptr, false);
    if (doc.is_discarded()) return 0;
    constexpr std::array<const char*, 12> k_messages = {
        "Order 677814 created for user erin in 20 ms", "GET /api/orders/632084 from 10.0.6.10:32816 status 200",
        "Order 1 created for user bob in 3 ms", "a message never seen",
        "report mailed to alice at noon", "report mailed to judy at noon", "report mailed to peca at noon",
        "report mailed to olivia at noon", "report mailed to trent at noon", "report mailed to zuka at noon",
        "received broadcast android.intent.action.TIME_TICK", "received broadcast android.intent.action.BATTERY_CHANGED"};
    try {
        util::check_envelope(doc, {"logad-miner-state", 2, 1}, "fuzz.state");
        if (!doc.contains("miner")) return 0;
        mine::TemplateMiner miner = mine::TemplateMiner::from_json(doc["miner"]);
        std::vector<std::uint32_t> ids;
        for (const char* message : k_messages) {
            Event event;
            event.record.message = message;
            miner.match(event);
            miner.learn(event);
            LOGAD_FUZZ_CHECK(event.template_id != 0 && miner.resolve(event.template_id) == event.template_id);
            ids.push_back(event.template_id);
        }
        const nlohmann::json saved = miner.to_json();
        const mine::TemplateMiner reloaded = mine::TemplateMiner::from_json(saved);
        LOGAD_FUZZ_CHECK(reloaded.size() == miner.size());
        for (std::uint32_t id : ids) LOGAD_FUZZ_CHECK(reloaded.resolve(id) == miner.resolve(id));
    } catch (const FormatError& e) {
        LOGAD_FUZZ_CHECK(e.what()[0] != '\0');
    }
    return 0;
}
