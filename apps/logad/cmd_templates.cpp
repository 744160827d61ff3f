// `logad templates FILE` (or --state FILE, --model FILE): what a miner state, or the miner inside
// a model trained on logs, has learned, one template per line.
#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/pipeline/model_miner.hpp>
#include <logad/present/template_list.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <filesystem>

namespace logad::cli {
namespace {

struct TemplatesOptions {
    std::string file;  // a state or a model, told apart by its content
    std::string state_path;
    std::string model_path;
    bool json = false;
    bool by_count = false;
};

int run_templates(TemplatesOptions o, std::ostream& out) {
    if (!o.file.empty() + !o.state_path.empty() + !o.model_path.empty() != 1)
        throw UsageError("give one file: a state (from `logad parse --state`) or a model (from `logad train` on logs)");
    if (!o.file.empty()) o.state_path = o.file;
    if (!o.state_path.empty() && !std::filesystem::exists(o.state_path))
        throw InputError(fmt::format("no state file {}; create one with `logad parse --state {} app.log`",
                                     o.state_path, o.state_path));
    const mine::TemplateMiner miner = o.model_path.empty() ? pipeline::miner_of_state_or_model(o.state_path)
                                                           : pipeline::miner_of_model(o.model_path);
    present::print_templates(miner, o.json, o.by_count, out);
    return k_exit_ok;
}

}  // namespace

RunFn register_templates(CLI::App& root) {
    auto options = std::make_shared<TemplatesOptions>();
    CLI::App* cmd = root.add_subcommand("templates", "List the templates a miner state file or a log model holds");
    cmd->footer("Examples:\n"
                "  logad parse --state app.state app.log > /dev/null && logad templates app.state\n"
                "  logad templates app.state --json --by-count | head\n"
                "  logad templates model.json --by-count | head   # what a model learned from logs\n"
                "Columns: template id, count, template (--json adds an example message).");
    cmd->add_option("file", options->file, "a miner state file or a model trained on logs (either is read)");
    cmd->add_option("--state", options->state_path, "miner state file written by `logad parse --state` (or a log model)");
    cmd->add_option("--model,-m", options->model_path, "a model written by `logad train` on logs (instead of --state)");
    cmd->add_flag("--json", options->json, "NDJSON: template_id, count, template, example");
    cmd->add_flag("--by-count", options->by_count, "most frequent first (default: by id)");
    return [options](std::istream&, std::ostream& out, std::ostream&) { return run_templates(*options, out); };
}

}  // namespace logad::cli
