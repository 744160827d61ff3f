// `logad featurize`: events (NDJSON from `logad parse`) -> feature rows (NDJSON, format in
// include/logad/featurize/feature_row.hpp). The first output line is the header that announces
// them and carries the fitted feature space (featurize/feature_header.hpp).
#include "commands.hpp"
#include "input_files.hpp"

#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/featurize/feature_header.hpp>
#include <logad/featurize/featurizers.hpp>
#include <logad/io/input_kind.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/util/duration.hpp>
#include <logad/io/paths.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

struct FeaturizeOptions {
    std::vector<std::string> files;
    std::string per = "window";
    std::string window = "60s";
    std::string slide;
    std::string key;
    std::string idle = "30m";
    std::size_t max_vocab = 200;
    bool quiet = false;
};

class RowWriter final : public Sink<featurize::FeatureRow> {
public:
    explicit RowWriter(io::OutputBuffer& out) : m_out(out) {}
    void push(featurize::FeatureRow& row) override {
        featurize::append_row_json(m_out.buffer(), row);
        m_out.commit();
        ++rows;
    }
    std::uint64_t rows = 0;

private:
    io::OutputBuffer& m_out;
};

int run_featurize(const FeaturizeOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    using namespace featurize;
    const Granularity per = parse_granularity(o.per);
    if (per == Granularity::session && o.key.empty())
        throw UsageError("--per session needs --key (a field name such as request_id, or a regex such as 'blk_-?\\d+')");
    WindowOptions window{util::parse_duration_ms(o.window, "--window"),
                         o.slide.empty() ? 0 : util::parse_duration_ms(o.slide, "--slide")};
    SessionOptions session{util::parse_duration_ms(o.idle, "--idle"), 100000};
    std::unique_ptr<SessionKey> key;
    if (per == Granularity::session) key = std::make_unique<SessionKey>(o.key);

    // The feature space is fitted on the input itself, so the events are kept until the end.
    std::vector<Event> events;
    FeatureSpaceBuilder builder({o.max_vocab, 16});
    std::uint64_t bad = 0;
    std::string first_error;
    io::InputKind first_bad_kind = io::InputKind::logs;
    const std::vector<std::string> files = input_files(o.files, "featurize", err);
    for (const std::string& file : files) {
        auto source = io::open_input(file, in);
        io::LineReader reader(*source);
        std::string_view line;
        Event event;
        while (reader.next(line)) {
            if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
            const std::string why = read_event_json(line, event);
            if (!why.empty()) {
                if (bad++ == 0) {
                    first_error = fmt::format("{}:{}: {}", file, reader.line_number(), why);
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
        if (bad > 0 && first_bad_kind == io::InputKind::table)
            throw InputError(fmt::format("no events in the input ({}): it is a numeric table, which `logad train` "
                                         "reads as it is, e.g. logad train -o model.json table.csv",
                                         first_error));
        if (bad > 0)
            throw InputError(fmt::format("no events in the input ({}); featurize reads `logad parse` output, "
                                         "e.g. logad parse app.log | logad featurize",
                                         first_error));
        throw InputError("the input is empty: nothing to featurize");
    }
    const FeatureSpace space = builder.build();

    io::OutputBuffer output(out);
    output.buffer() += feature_header_json(space, per, window, o.key, session);
    output.buffer() += '\n';

    RowWriter writer(output);
    std::unique_ptr<Sink<Event>> stage;
    if (per == Granularity::line) stage = std::make_unique<LineFeaturizer>(space, writer);
    if (per == Granularity::window) stage = std::make_unique<WindowFeaturizer>(space, window, writer);
    if (per == Granularity::session) stage = std::make_unique<SessionFeaturizer>(space, *key, session, writer);
    for (Event& e : events) stage->push(e);
    stage->finish();
    output.flush();
    if (!o.quiet)
        fmt::print(err, "logad featurize: {} events, {} skipped lines, {} templates ({} in the vocabulary), {} {} rows of {} features\n",
                   events.size(), bad, space.templates.size(), space.vocab.size(), writer.rows, o.per,
                   space.width(per));
    if (bad > 0 && !o.quiet) fmt::print(err, "logad featurize: first skipped line: {}\n", first_error);
    return k_exit_ok;
}

}  // namespace

RunFn register_featurize(CLI::App& root) {
    auto o = std::make_shared<FeaturizeOptions>();
    CLI::App* cmd = root.add_subcommand("featurize", "Events (from logad parse) -> numeric feature rows (NDJSON)");
    cmd->footer("Examples:\n"
                "  logad parse app.log | logad featurize --per window --window 60s > rows.ndjson\n"
                "  logad parse HDFS.log | logad featurize --per session --key 'blk_-?\\d+'\n"
                "  logad parse app.log | logad featurize --per line | logad train -o model.json\n"
                "The first output line is a header with the fitted feature space; rows follow (see logad-featurize(1)).");
    cmd->add_option("files", o->files, "event files (default: stdin)");
    cmd->add_option("--per", o->per, "granularity: line, window or session")
        ->check(CLI::IsMember({"line", "window", "session"}))
        ->capture_default_str();
    cmd->add_option("--window", o->window, "window length for --per window (500ms, 60s, 5m...)")->capture_default_str();
    cmd->add_option("--slide", o->slide, "window step for sliding windows (default: the window length)");
    cmd->add_option("--key", o->key, "session id for --per session: a field name, or an RE2 regex over the message");
    cmd->add_option("--idle", o->idle, "a session ends after this long without events")->capture_default_str();
    cmd->add_option("--max-vocab", o->max_vocab, "template columns in window and session rows (others: one unseen column)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_flag("--quiet,-q", o->quiet, "no summary line on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_featurize(*o, in, out, err); };
}

}  // namespace logad::cli
