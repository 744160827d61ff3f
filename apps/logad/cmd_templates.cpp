// `logad templates --state FILE`: what the miner has learned, one template per line.
#include "commands.hpp"
#include "miner_state.hpp"

#include <logad/error.hpp>
#include <logad/util/json_writer.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <filesystem>

namespace logad::cli {
namespace {

struct TemplatesOptions {
    std::string state_path;
    bool json = false;
    bool by_count = false;
};

int run_templates(const TemplatesOptions& o, std::ostream& out) {
    if (!std::filesystem::exists(o.state_path))
        throw InputError(fmt::format("no state file {}; create one with `logad parse --state {} app.log`",
                                     o.state_path, o.state_path));
    const mine::TemplateMiner miner = load_or_create_miner(o.state_path, {});
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
    CLI::App* cmd = root.add_subcommand("templates", "List the templates a miner state file holds");
    cmd->footer("Examples:\n"
                "  logad parse --state app.state app.log > /dev/null && logad templates --state app.state\n"
                "  logad templates --state app.state --json --by-count | head\n"
                "Columns: template id, count, template (--json adds an example message).");
    cmd->add_option("--state", options->state_path, "miner state file written by `logad parse --state`")->required();
    cmd->add_flag("--json", options->json, "NDJSON: template_id, count, template, example");
    cmd->add_flag("--by-count", options->by_count, "most frequent first (default: by id)");
    return [options](std::istream&, std::ostream& out, std::ostream&) { return run_templates(*options, out); };
}

}  // namespace logad::cli
