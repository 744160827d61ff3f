// `logad train`: numeric table -> detector fit -> threshold from the training scores -> model file.
#include "cmd_train.hpp"

#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/table_reader.hpp>
#include <logad/model/model_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <chrono>
#include <memory>

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
    CLI::App* cmd = root.add_subcommand("train", "Fit a detector on a numeric table and save it with its threshold");
    cmd->footer(
        "Input: CSV with a header row, or NDJSON rows {\"features\": [...]} or [...].\n"
        "Examples:\n"
        "  logad train -o model.json features.csv\n"
        "  logad train --algo iforest --param trees=200 --param extended=true --threshold quantile=0.995 -o m.json x.csv\n"
        "The default threshold, contamination=0.01, flags the top 1% of training scores: a false-alarm\n"
        "budget that suits mostly-normal training data; set it to your expected anomaly share if known.");
    cmd->add_option("file", o->file, "table to train on (default: stdin)");
    cmd->add_option("--algo,-a", o->algo, "iforest, ocsvm or autoencoder")->capture_default_str();
    cmd->add_option("--param,-p", o->params, "algorithm parameter NAME=VALUE (repeatable), e.g. trees=200");
    cmd->add_option("--threshold,-t", o->threshold, "contamination=C, quantile=Q or fixed=V (from training scores)")
        ->capture_default_str();
    cmd->add_option("--seed", o->seed, "random seed; same seed, same model")->capture_default_str();
    cmd->add_option("--threads", o->threads, "worker threads, 0 = all cores")->capture_default_str()->check(CLI::Range(0, 1024));
    cmd->add_option("--output,-o", o->output, "model file to write (atomically)")->required();
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_train(*o, in, out, err); };
}

int run_train(const TrainOptions& o, std::istream& in, std::ostream& /*out*/, std::ostream& err) {
    // Check every option before reading a possibly long input.
    const model::ThresholdRule rule = model::ThresholdRule::parse(o.threshold);
    model::ModelFile m;
    m.detector = model::make_detector(o.algo, parse_params(o.params));
    m.rule = rule;

    auto source = io::open_input(o.file, in);
    io::TableReader reader(*source);
    io::Table table;
    {
        io::Table block;
        while (reader.read(block, 65536) > 0) table.values.insert(table.values.end(), block.values.begin(), block.values.end());
    }
    const auto rows = static_cast<Eigen::Index>(reader.rows_read());
    if (rows == 0) throw InputError(fmt::format("{} holds no rows to train on", o.file == "-" ? "stdin" : o.file));
    const model::Matrix x = Eigen::Map<const model::Matrix>(table.values.data(), rows, static_cast<Eigen::Index>(reader.cols()));
    table.values = {};
    m.feature_names = reader.names();
    // The feature space of `logad featurize` output travels in the model, for scoring raw logs later.
    if (!reader.header_json().empty()) m.parts["featurizer"] = nlohmann::json::parse(reader.header_json());

    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    m.detector->fit(x, {.seed = o.seed, .threads = o.threads});
    const auto t1 = Clock::now();
    const model::Vector scores = m.detector->score(x, o.threads);
    m.threshold = model::calibrate_threshold(scores, rule);
    model::save_model(o.output, m);

    if (!o.quiet) {
        const auto above = (scores.array() > m.threshold).count();
        fmt::print(err,
                   "logad train: {} rows x {} features, {} fitted in {:.4f} s; threshold {} -> {:.6g} "
                   "({} training rows above); saved {}\n",
                   rows, x.cols(), o.algo, std::chrono::duration<double>(t1 - t0).count(), rule.to_string(),
                   m.threshold, above, o.output);
    }
    return k_exit_ok;
}

}  // namespace logad::cli
