#include <logad/analyze/featurize_events.hpp>

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/featurize/feature_header.hpp>
#include <logad/io/input.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>

#include <fmt/core.h>

#include <memory>

namespace logad::analyze {
namespace {

class FeatureRowWriter final : public Sink<featurize::FeatureRow> {
public:
    explicit FeatureRowWriter(io::OutputBuffer& out) : m_out(out) {}
    void push(featurize::FeatureRow& row) override {
        featurize::append_row_json(m_out.buffer(), row);
        m_out.commit();
        ++rows;
    }
    std::uint64_t rows = 0;

private:
    io::OutputBuffer& m_out;
};

}  // namespace

FeaturizeRun featurize_events(const FeaturizeRequest& r, std::istream& in, std::ostream& out) {
    using namespace featurize;
    const Granularity per = r.per;
    if (per == Granularity::session && r.key.empty())
        throw UsageError("--per session needs --key (a field name such as request_id, or a regex such as 'blk_-?\\d+')");
    std::unique_ptr<SessionKey> key;
    if (per == Granularity::session) key = std::make_unique<SessionKey>(r.key);

    // The feature space is fitted on the input itself, so the events are kept until the end.
    std::vector<Event> events;
    FeatureSpaceBuilder builder({r.max_vocab, 16});
    FeaturizeRun run;
    io::InputKind first_bad_kind = io::InputKind::logs;
    for (const std::string& file : r.files) {
        auto source = io::open_input(file, in);
        io::LineReader reader(*source);
        std::string_view line;
        Event event;
        while (reader.next(line)) {
            if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
            const std::string why = read_event_json(line, event);
            if (!why.empty()) {
                if (run.skipped++ == 0) {
                    run.first_skipped = fmt::format("{}:{}: {}", file, reader.line_number(), why);
                    first_bad_kind = io::classify_input(line);
                }
                continue;
            }
            builder.add(event);
            events.push_back(std::move(event));
        }
        builder.end_segment();  // a counter is not followed from one file into the next
    }
    if (events.empty()) {
        if (run.skipped > 0 && first_bad_kind == io::InputKind::table)
            throw InputError(fmt::format("no events in the input ({}): it is a numeric table, which `logad train` "
                                         "reads as it is, e.g. logad train -o model.json table.csv",
                                         run.first_skipped));
        if (run.skipped > 0)
            throw InputError(fmt::format("no events in the input ({}); featurize reads `logad parse` output, "
                                         "e.g. logad parse app.log | logad featurize",
                                         run.first_skipped));
        throw InputError("the input is empty: nothing to featurize");
    }
    const FeatureSpace space = builder.build();

    io::OutputBuffer output(out);
    output.buffer() += feature_header_json(space, per, r.window, r.key, r.session);
    output.buffer() += '\n';

    FeatureRowWriter writer(output);
    std::unique_ptr<Sink<Event>> stage;
    if (per == Granularity::line) stage = std::make_unique<LineFeaturizer>(space, writer);
    if (per == Granularity::window) stage = std::make_unique<WindowFeaturizer>(space, r.window, writer);
    if (per == Granularity::session) stage = std::make_unique<SessionFeaturizer>(space, *key, r.session, writer);
    for (Event& e : events) stage->push(e);
    stage->finish();
    output.flush();
    run.events = events.size();
    run.rows = writer.rows;
    run.templates = space.templates.size();
    run.vocab = space.vocab.size();
    run.width = space.width(per);
    return run;
}

}  // namespace logad::analyze
