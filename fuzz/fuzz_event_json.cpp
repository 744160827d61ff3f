// The event NDJSON reader (`logad parse` output read by featurize/train/score). Each line is one
// record. A line read as an event, written again and read back, must give the same text: the
// writer is the reader's inverse on whatever the reader accepts.
#include "fuzz_input.hpp"

#include <logad/event_json.hpp>

#include <string>
#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace logad;
    for (std::string_view line : fuzz::split_lines(fuzz::as_text(data, size))) {
        Event event;
        if (!read_event_json(line, event).empty()) continue;
        std::string once;
        append_event_json(once, event);
        Event again;
        const std::string why = read_event_json(std::string_view(once).substr(0, once.size() - 1), again);
        if (!why.empty()) __builtin_printf("re-read: %s\n%s", why.c_str(), once.c_str());
        LOGAD_FUZZ_CHECK(why.empty());
        std::string twice;
        append_event_json(twice, again);
        if (once != twice) __builtin_printf("once:  %s\ntwice: %s", once.c_str(), twice.c_str());
        LOGAD_FUZZ_CHECK(once == twice);
    }
    return 0;
}
