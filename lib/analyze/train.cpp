#include <logad/model/detector.hpp>
#include <logad/analyze/train.hpp>

#include <logad/analyze/log_input.hpp>
#include <logad/analyze/mining_stage.hpp>
#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/mine/miner_state.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace logad::analyze {

TrainingInput read_training_input(const std::vector<std::string>& files, io::InputClaim claim,
                                  const pipeline::ParseSettings& parse, mine::TemplateMiner& miner, std::istream& in,
                                  ReadObserver* observer, std::unique_ptr<io::ByteSource> first) {
    ReadObserver quiet;
    ReadObserver& seen = observer ? *observer : quiet;
    TrainingInput t;
    const auto format = parse::make_format(parse.format);
    EventCollector collect(t.events);
    MiningStage mining(miner, collect);
    parse::RecordAssembler assembler(*format, mining, parse.multiline);
    std::uint64_t event_lines = 0;
    for (const std::string& file : files) {
        auto source = first ? std::move(first) : open_log_input(file, in, parse.format);
        const io::InputKind kind = io::resolve_input_kind(io::peek_first_line(source), claim);
        if (kind == io::InputKind::table)
            throw UsageError(fmt::format("{} looks like a numeric table; give only tables, or only logs "
                                         "(--input logs reads it as logs)", file));
        seen.next_file(*source);
        io::LineReader reader(*source, parse.max_line);
        std::string_view line;
        if (kind == io::InputKind::events) {
            Event e;
            while (reader.next(line)) {
                if ((++t.lines & 1023) == 0) seen.lines_read(t.lines);
                if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
                if (!read_event_json(line, e).empty()) {
                    ++t.bad_events;
                    continue;
                }
                event_lines += e.record.line_count;
                t.events.push_back(std::move(e));
            }
        } else {
            while (reader.next(line)) {
                assembler.push_line(line, reader.line_number());
                if ((reader.line_number() & 1023) == 0) seen.lines_read(t.lines + reader.line_number());
            }
            assembler.release();
            t.lines += reader.line_number();
        }
    }
    assembler.finish();
    mine::refresh_merged(miner, t.events);  // lines mined before their template generalised
    t.parse = assembler.stats();
    // Events were parsed elsewhere: their lines all matched the format, as far as we know.
    t.profile.lines = t.parse.lines - t.parse.empty + event_lines;
    t.profile.unmatched = t.parse.continuation_lines + t.parse.unparsed;
    for (const Event& e : t.events) {
        ++t.profile.records;
        t.profile.max_record_lines = std::max<std::uint64_t>(t.profile.max_record_lines, e.record.line_count);
        t.profile.timed += e.record.has_time();
        t.profile.leveled += e.record.level != Level::unknown;
    }
    t.profile.measured = true;
    return t;
}

TrainResult train(const TrainRequest& r, std::istream& in, ReadObserver* observer, std::unique_ptr<io::ByteSource> first) {
    model::make_detector(r.settings.algo, r.settings.params);  // unknown algorithm or parameter: fail before reading
    mine::TemplateMiner miner = mine::load_or_create_miner(r.miner_state, r.miner);
    TrainResult result;
    result.files = r.files.empty() ? std::vector<std::string>{"-"} : r.files;
    result.files_reordered = !first && order_by_first_time(result.files, r.parse.format, in);
    TrainingInput input = read_training_input(result.files, r.claim, r.parse, miner, in, observer, std::move(first));
    if (observer) observer->fitting(input.events.size());

    result.model = pipeline::PipelineModel::fit(r.parse, r.settings, std::move(miner), input.events, result.parts);
    result.model.fit_profile = input.profile;
    result.model.fit_profile.unseen = result.model.space.templates.size();  // each template was new once
    result.lines = input.lines;
    result.records = input.events.size();
    result.bad_events = input.bad_events;
    result.parse = input.parse;
    return result;
}

}  // namespace logad::analyze
