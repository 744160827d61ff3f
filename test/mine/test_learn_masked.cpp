// TemplateMiner::learn_masked (masking done ahead, as `parse --threads` does on other threads)
// learns exactly what learn() learns: the same events and the same templates.
#include <logad/mine/template_miner.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace logad::test {

TEST_CASE("learn_masked with the masker's mask learns what learn learns", "[mine][threads]") {
    std::vector<std::string> messages;
    std::ifstream in(std::string(LOGAD_SOURCE_DIR) + "/examples/app.log");
    for (std::string line; std::getline(in, line);) messages.push_back(line);
    REQUIRE(messages.size() > 100);
    messages.push_back("user alice logged in from 10.0.0.1");
    messages.push_back("user bob smith logged in from 10.0.0.2");  // a variable-length merge

    mine::MinerOptions options;
    options.masks = {{"order", "ORD-\\d+"}};
    mine::TemplateMiner plain(options), ahead(options);
    mine::MaskedMessage masked;
    for (const std::string& m : messages) {
        Event a, b;
        a.record.message = m;
        b.record.message = m;
        plain.learn(a);
        ahead.masker().mask(b.record.message, masked);
        ahead.learn_masked(b, masked);
        REQUIRE(a.template_id == b.template_id);
        REQUIRE(a.template_text == b.template_text);
        REQUIRE(a.params.size() == b.params.size());
        for (std::size_t i = 0; i < a.params.size(); ++i) {
            REQUIRE(a.params[i].value == b.params[i].value);
            REQUIRE(a.params[i].kind == b.params[i].kind);
        }
    }
    CHECK(plain.to_json() == ahead.to_json());
}

}  // namespace logad::test
