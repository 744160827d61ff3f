// The line parser as `logad parse` runs it: lines -> format -> RecordAssembler -> miner -> event
// NDJSON. The first byte picks the format (each built-in one, auto, and a Loghub header format);
// the rest is the log text. Every event written must read back as an event.
#include "fuzz_input.hpp"

#include <logad/event_json.hpp>
#include <logad/mine/template_miner.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/parse/record_assembler.hpp>

#include <array>
#include <memory>
#include <string>
#include <nlohmann/json.hpp>

namespace {

using namespace logad;

constexpr std::array<const char*, 9> k_formats = {
    "auto", "json", "logfmt", "syslog", "clf", "cri", "raw",
    "<Date> <Time> <Level> \\[<Pid>\\] <Component>: <Content>",
    "<Month> <Day> <Time> <Host> <Component>(\\[<Pid>\\])?: <Content>"};

class MineSink final : public Sink<Record> {
public:
    explicit MineSink(mine::TemplateMiner& miner) : m_miner(miner) {}
    void push(Record& record) override {
        Event event;
        event.record = std::move(record);
        m_miner.learn(event);
        Event matched;
        matched.record = event.record;
        m_miner.match(matched);
        std::string json;
        append_event_json(json, event);
        LOGAD_FUZZ_CHECK(!json.empty() && json.back() == '\n');
        json.pop_back();
        Event back;
        const std::string why = read_event_json(json, back);
        LOGAD_FUZZ_CHECK(why.empty());
        LOGAD_FUZZ_CHECK(back.template_id == event.template_id);
        LOGAD_FUZZ_CHECK(back.record.line == event.record.line);
        LOGAD_FUZZ_CHECK(back.record.ts_ms == event.record.ts_ms);
    }

private:
    mine::TemplateMiner& m_miner;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    parse::FormatOptions options;
    options.format = k_formats[data[0] % k_formats.size()];
    options.year = 2026;  // not the clock: the same input must take the same path
    const bool multiline = (data[0] / k_formats.size()) % 2 == 0;
    static std::array<std::unique_ptr<parse::LineFormat>, k_formats.size()> formats;
    auto& format = formats[data[0] % k_formats.size()];
    // "auto" remembers the last format that matched: a fresh one per input keeps runs reproducible.
    if (!format || options.format == std::string("auto")) format = parse::make_format(options);

    mine::TemplateMiner miner(mine::MinerOptions{{}, 64});  // a small cap exercises eviction
    MineSink sink(miner);
    parse::RecordAssembler assembler(*format, sink, multiline, 4096);
    std::uint64_t number = 0;
    for (std::string_view line : fuzz::split_lines(fuzz::as_text(data + 1, size - 1))) assembler.push_line(line, ++number);
    assembler.finish();
    return 0;
}
