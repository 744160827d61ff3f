#include "log_pipeline.hpp"

#include "commands.hpp"

#include <logad/analyze/train.hpp>
#include <logad/error.hpp>
#include <logad/present/input_files.hpp>
#include <logad/present/train_run.hpp>
#include <logad/util/duration.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

pipeline::TrainSettings train_settings(const LogOptions& o) {
    pipeline::TrainSettings t;
    for (const std::string& p : o.per) t.granularities.push_back(featurize::parse_granularity(p));
    t.window_ms = util::parse_duration_ms(o.window, "--window");
    t.slide_ms = o.slide.empty() ? 0 : util::parse_duration_ms(o.slide, "--slide");
    if (t.slide_ms > t.window_ms) throw UsageError("--slide must not be longer than --window");
    t.key = o.key;
    t.idle_ms = util::parse_duration_ms(o.idle, "--idle");
    t.max_vocab = o.max_vocab;
    t.reorder_ms = parse_reorder_tolerance(o.reorder_tolerance);
    if (!o.key.empty()) featurize::SessionKey check(o.key);  // a bad regex fails before reading
    return t;
}

}  // namespace

std::int64_t parse_reorder_tolerance(const std::string& text) {
    if (text == "0") return 0;
    const std::int64_t ms = util::parse_duration_ms(text, "--reorder-tolerance");
    if (ms > 24LL * 3600 * 1000)
        throw UsageError(fmt::format("--reorder-tolerance '{}' is over a day; a few seconds to a minute absorbs "
                                     "threads and shippers writing out of order",
                                     text));
    return ms;
}

ScoreOutput parse_score_output(const std::string& name) {
    if (name == "ndjson") return ops::ScoreFormat::ndjson;
    if (name == "ecs") return ops::ScoreFormat::ecs;
    if (name == "ecs-bulk") return ops::ScoreFormat::ecs_bulk;
    throw UsageError(fmt::format("unknown --output '{}': use ndjson, ecs or ecs-bulk", name));
}

void add_log_options(CLI::App& cmd, LogOptions& o) {
    add_parse_options(cmd, o.parse);
    cmd.add_option("--per", o.per,
                   "granularities for logs: line, window, session (repeatable or comma-separated; default: all that fit)")
        ->delimiter(',')
        ->check(CLI::IsMember({"line", "window", "session"}));
    cmd.add_option("--window", o.window, "time window length (500ms, 60s, 5m...)")->capture_default_str();
    cmd.add_option("--slide", o.slide, "window step for sliding windows (default: the window length)");
    cmd.add_option("--key", o.key, "session id: a field name (request_id) or an RE2 regex ('blk_-?\\d+')");
    cmd.add_option("--idle", o.idle, "a session ends after this long without events")->capture_default_str();
    cmd.add_option("--max-vocab", o.max_vocab, "template columns in window and session rows")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd.add_option("--reorder-tolerance", o.reorder_tolerance,
                   "windows and sessions take records in time order when they are at most this much out of order; "
                   "a lone record further ahead is placed at the stream's time (0 = off; kept in the model for score)")
        ->capture_default_str();
}

int train_on_logs(const LogTrainRequest& r, std::istream& in, std::ostream& err, std::unique_ptr<io::ByteSource> first) {
    analyze::TrainRequest request;
    request.settings = train_settings(r.logs);
    request.settings.algo = r.algo;
    request.settings.params = r.params;
    if (!r.threshold.empty()) request.settings.rule = model::ThresholdRule::parse(r.threshold);
    request.settings.seed = r.seed;
    request.settings.threads = r.threads;
    request.miner = miner_options(r.logs.parse);
    request.miner_state = r.logs.parse.state_path;
    request.parse.format = r.logs.parse.format;
    request.parse.multiline = r.logs.parse.multiline;
    request.parse.masks = request.miner.masks;
    request.parse.max_line = r.logs.parse.max_line;
    request.files = present::input_files(r.logs.parse.files, "train", err);
    request.claim = r.input;
    present::train_logs(request, {r.output, r.quiet, r.progress}, in, err, std::move(first));
    return k_exit_ok;
}

}  // namespace logad::cli
