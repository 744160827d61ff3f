// The --state file loader (`logad parse --state`): a "logad-miner-state" document around the
// template miner's JSON. A damaged or edited state must be a FormatError; a state that loads
// must mine new messages and save again to a state that loads to the same templates.
#include "fuzz_input.hpp"

#include <logad/error.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/util/versioned_file.hpp>

#include <nlohmann/json.hpp>

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    const nlohmann::json doc = nlohmann::json::parse(fuzz::as_text(data, size), nullptr, false);
    if (doc.is_discarded()) return 0;
    constexpr std::array<const char*, 4> k_messages = {
        "Order 677814 created for user erin in 20 ms", "GET /api/orders/632084 from 10.0.6.10:32816 status 200",
        "Order 1 created for user bob in 3 ms", "a message never seen"};
    try {
        util::check_envelope(doc, {"logad-miner-state", 1, 1}, "fuzz.state");
        if (!doc.contains("miner")) return 0;
        mine::TemplateMiner miner = mine::TemplateMiner::from_json(doc["miner"]);
        for (const char* message : k_messages) {
            Event event;
            event.record.message = message;
            miner.match(event);
            miner.learn(event);
        }
        const nlohmann::json saved = miner.to_json();
        const mine::TemplateMiner reloaded = mine::TemplateMiner::from_json(saved);
        LOGAD_FUZZ_CHECK(reloaded.size() == miner.size());
    } catch (const FormatError& e) {
        LOGAD_FUZZ_CHECK(e.what()[0] != '\0');
    }
    return 0;
}
