// `logad train`: logs (present/train_run.hpp), or a numeric table -> detector fit -> threshold from
// the training scores -> model file (analyze/train_table.hpp).
#include "cmd_train.hpp"

#include "commands.hpp"
#include "log_pipeline.hpp"

#include <logad/analyze/train_table.hpp>
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/model/model_file.hpp>
#include <logad/present/input_files.hpp>
#include <logad/present/terminal.hpp>
#include <logad/present/train_run.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <memory>
#include <nlohmann/json.hpp>

namespace logad::cli {

nlohmann::json parse_params(const std::vector<std::string>& specs) {
    nlohmann::json params = nlohmann::json::object();
    for (const std::string& spec : specs) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError(fmt::format("--param '{}' must be NAME=VALUE, e.g. --param trees=200", spec));
        const std::string value = spec.substr(eq + 1);
        nlohmann::json v = nlohmann::json::parse(value, nullptr, false);
        params[spec.substr(0, eq)] = v.is_discarded() ? nlohmann::json(value) : v;  // bare words are strings
    }
    return params;
}

RunFn register_train(CLI::App& root) {
    auto o = std::make_shared<TrainOptions>();
    CLI::App* cmd = root.add_subcommand("train", "Learn normal behaviour from logs (or a numeric table) into one model file");
    cmd->footer(
        "Input: raw logs (parsed and mined here), events from `logad parse`, or a numeric table (CSV with a\n"
        "header row, or NDJSON rows {\"features\": [...]} or [...]), told apart by the first line.\n"
        "Examples:\n"
        "  logad train -o model.json normal.log && logad score -m model.json new.log\n"
        "  logad train --format '<Date> <Time> <Pid> <Level> <Component>: <Content>' --per session \\\n"
        "              --key 'blk_-?\\d+' --algo iforest -o m.json train.log\n"
        "  logad train --algo ocsvm --threshold quantile=0.995 -o m.json features.csv\n"
        "  logad train --update -m model.json todays-normal.log   # merge: old and new are normal\n"
        "Thresholds come from training scores only. Logs: by default a row must score above every training\n"
        "row (alerts stay rare on normal traffic). Tables: contamination=0.01 flags the top 1%.");
    cmd->add_option("files", o->files, "logs, events or a table to train on (default: stdin; .gz ok)");
    cmd->add_option("--input", o->input, "what the input is: auto (told by its first line), logs (or events) or table")
        ->check(CLI::IsMember({"auto", "logs", "table"}))
        ->capture_default_str();
    add_log_options(*cmd, o->logs);
    cmd->add_option("--algo,-a", o->algo, "iforest, ocsvm or autoencoder")->capture_default_str();
    cmd->add_option("--param,-p", o->params, "algorithm parameter NAME=VALUE (repeatable), e.g. trees=200");
    cmd->add_option("--threshold,-t", o->threshold, "contamination=C, quantile=Q or fixed=V (from training scores)");
    cmd->add_option("--state", o->logs.parse.state_path, "miner state of `logad parse --state`, when training on its events");
    cmd->add_option("--seed", o->seed, "random seed; same seed, same model")->capture_default_str();
    cmd->add_option("--threads", o->threads, "worker threads, 0 = all cores")->capture_default_str()->check(CLI::Range(0, 1024));
    cmd->add_option("--output,-o", o->output, "model file to write (atomically); with --update, default: the model");
    cmd->add_flag("--update", o->update, "merge new normal logs into the log model --model (refused when they do not fit it)");
    cmd->add_option("--model,-m", o->model, "the model to update (with --update)");
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_train(*o, in, out, err); };
}

int run_train(const TrainOptions& o, std::istream& in, std::ostream& /*out*/, std::ostream& err) {
    if (o.update) {
        if (o.model.empty()) throw UsageError("--update needs --model MODEL, the log model to refit");
        present::update_logs({o.model, o.output, o.files, o.threads, o.quiet}, in, err);
        return k_exit_ok;
    }
    if (!o.model.empty()) throw UsageError("--model is for --update; to train a new model give --output FILE");
    if (o.output.empty()) throw UsageError("give --output FILE, the model to write");
    // Check every option before reading a possibly long input.
    const model::ThresholdRule rule = model::ThresholdRule::parse(o.threshold.empty() ? "contamination=0.01" : o.threshold);
    const std::vector<std::string> files = present::input_files(o.files, "train", err);
    auto source = analyze::open_log_input(files.front(), in, o.logs.parse.format);
    // --input logs and an explicit --format are the user's word: such input is never a table.
    const io::InputClaim claim = o.input == "table" ? io::InputClaim::table
                           : o.input == "logs" ? io::InputClaim::logs
                                               : analyze::input_claim(o.logs.parse.format);
    if (claim == io::InputClaim::table && analyze::input_claim(o.logs.parse.format) == io::InputClaim::logs)
        throw UsageError("--format and --regex describe logs; --input table reads a numeric table: give one or the other");
    const bool is_table = io::resolve_input_kind(io::peek_first_line(source), claim) == InputKind::table;
    if (!is_table) {
        LogTrainRequest r{o.logs, o.algo, parse_params(o.params), o.threshold, o.seed, o.threads, o.output, o.quiet};
        r.logs.parse.files = files;
        r.input = claim;
        r.progress = !o.quiet && &err == &std::cerr && present::progress_allowed(false);
        return train_on_logs(r, in, err, std::move(source));
    }
    if (files.size() > 1) throw UsageError("train reads one numeric table; give a single file");
    analyze::TableTrainRequest request{files.front() == "-" ? "stdin" : files.front(), o.algo, parse_params(o.params), rule,
                                       o.seed, o.threads};
    const analyze::TableTrainRun run = analyze::train_table(*source, request);
    model::save_model(o.output, run.model);
    if (!o.quiet)
        fmt::print(err,
                   "logad train: {} rows x {} features, {} fitted in {:.4f} s; threshold {} -> {:.6g} "
                   "({} training rows above); saved {}\n",
                   run.rows, run.cols, o.algo, run.fit_seconds, rule.to_string(), run.model.threshold, run.above, o.output);
    return k_exit_ok;
}

}  // namespace logad::cli
