// `logad templates --state FILE` or `--model FILE`: what a miner state, or the miner inside a
// model trained on logs, has learned, one template per line.
#include "commands.hpp"

#include <logad/mine/miner_state.hpp>
#include <logad/error.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/versioned_file.hpp>
#include <logad/util/json_writer.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

struct TemplatesOptions {
    std::string state_path;
    std::string model_path;
    bool json = false;
    bool by_count = false;
};

mine::TemplateMiner miner_of_model(const std::string& path) {
    const auto doc = util::load_versioned(path, util::k_model_file);
    if (!pipeline::PipelineModel::is_pipeline(doc))
        throw UsageError(fmt::format("{} was trained on a numeric table; only a model trained on logs holds templates", path));
    try {
        return mine::TemplateMiner::from_json(doc.at("pipeline").at("miner"));
    } catch (const nlohmann::json::exception&) {
        throw FormatError(fmt::format("{} has no miner in its pipeline; it is damaged, train it again", path));
    }
}

// A model named by --state is read as one: both files hold a miner.
mine::TemplateMiner state_or_model(const std::string& path) {
    try {
        return mine::load_or_create_miner(path, {});
    } catch (const FormatError& not_a_state) {
        try {
            return miner_of_model(path);
        } catch (const Error&) {
            throw not_a_state;
        }
    }
}

int run_templates(const TemplatesOptions& o, std::ostream& out) {
    if (o.state_path.empty() == o.model_path.empty())
        throw UsageError("give --state FILE (from `logad parse --state`) or --model FILE (from `logad train` on logs)");
    if (!o.state_path.empty() && !std::filesystem::exists(o.state_path))
        throw InputError(fmt::format("no state file {}; create one with `logad parse --state {} app.log`",
                                     o.state_path, o.state_path));
    const mine::TemplateMiner miner = o.model_path.empty() ? state_or_model(o.state_path) : miner_of_model(o.model_path);
    auto list = miner.templates();
    if (o.by_count)
        std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
    std::string buf;
    for (const mine::TemplateInfo& t : list) {
        if (o.json) {
            util::JsonObject j(buf);
            j.key("template_id").integer(t.id).key("count").integer(static_cast<std::int64_t>(t.count));
            j.key("template").str(t.text).key("example").str(t.example);
            j.close();
            buf.push_back('\n');
        } else {
            buf += fmt::format("{:>10}  {:>9}  {}\n", t.id, t.count, t.text);
        }
    }
    out << buf;
    out.flush();
    return k_exit_ok;
}

}  // namespace

RunFn register_templates(CLI::App& root) {
    auto options = std::make_shared<TemplatesOptions>();
    CLI::App* cmd = root.add_subcommand("templates", "List the templates a miner state file or a log model holds");
    cmd->footer("Examples:\n"
                "  logad parse --state app.state app.log > /dev/null && logad templates --state app.state\n"
                "  logad templates --state app.state --json --by-count | head\n"
                "  logad templates --model model.json --by-count | head   # what a model learned from logs\n"
                "Columns: template id, count, template (--json adds an example message).");
    cmd->add_option("--state", options->state_path, "miner state file written by `logad parse --state` (or a log model)");
    cmd->add_option("--model,-m", options->model_path, "a model written by `logad train` on logs (instead of --state)");
    cmd->add_flag("--json", options->json, "NDJSON: template_id, count, template, example");
    cmd->add_flag("--by-count", options->by_count, "most frequent first (default: by id)");
    return [options](std::istream&, std::ostream& out, std::ostream&) { return run_templates(*options, out); };
}

}  // namespace logad::cli
