// The OTLP/HTTP protobuf decoder (lib/receive/otlp_protobuf.cpp, protobuf_wire.cpp): the bytes
// come from the network. Any input either gives an error and no line, or lines that are each a
// JSON object; never a crash, a read out of bounds or unbounded recursion.
#include "fuzz_input.hpp"

#include <logad/receive/otlp_logs.hpp>

#include <nlohmann/json.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    std::size_t lines = 0;
    bool objects = true;
    const receive::OtlpConversion r = receive::otlp_protobuf_logs_to_lines(fuzz::as_text(data, size), [&](std::string_view line) {
        ++lines;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        objects = objects && j.is_object();
    });
    LOGAD_FUZZ_CHECK(objects);
    LOGAD_FUZZ_CHECK(lines == r.records);
    LOGAD_FUZZ_CHECK(r.error.empty() || lines == 0);
    return 0;
}
