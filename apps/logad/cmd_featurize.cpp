// `logad featurize`: events (NDJSON from `logad parse`) -> feature rows (NDJSON, format in
// include/logad/featurize/feature_row.hpp), by analyze/featurize_events.hpp. The first output
// line is the header that announces them and carries the fitted feature space
// (featurize/feature_header.hpp).
#include "commands.hpp"

#include <logad/analyze/featurize_events.hpp>
#include <logad/error.hpp>
#include <logad/present/input_files.hpp>
#include <logad/util/duration.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

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

int run_featurize(const FeaturizeOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    analyze::FeaturizeRequest r;
    r.per = featurize::parse_granularity(o.per);
    if (r.per == featurize::Granularity::session && o.key.empty())
        throw UsageError("--per session needs --key (a field name such as request_id, or a regex such as 'blk_-?\\d+')");
    r.window = {util::parse_duration_ms(o.window, "--window"), o.slide.empty() ? 0 : util::parse_duration_ms(o.slide, "--slide")};
    r.session = {util::parse_duration_ms(o.idle, "--idle"), 100000};
    r.key = o.key;
    if (r.per == featurize::Granularity::session) featurize::SessionKey check(o.key);  // a bad regex fails before reading
    r.max_vocab = o.max_vocab;
    r.files = present::input_files(o.files, "featurize", err);
    const analyze::FeaturizeRun run = analyze::featurize_events(r, in, out);
    if (!o.quiet)
        fmt::print(err, "logad featurize: {} events, {} skipped lines, {} templates ({} in the vocabulary), {} {} rows of {} features\n",
                   run.events, run.skipped, run.templates, run.vocab, run.rows, o.per, run.width);
    if (run.skipped > 0 && !o.quiet) fmt::print(err, "logad featurize: first skipped line: {}\n", run.first_skipped);
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
