// `logad parse`: raw lines -> records -> mined events -> NDJSON (format: include/logad/event_json.hpp).
#include "cmd_parse.hpp"

#include "commands.hpp"

#include <logad/analyze/mining_stage.hpp>
#include <logad/analyze/threaded_parse.hpp>
#include <logad/error.hpp>
#include <logad/event_json.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/io/output.hpp>
#include <logad/mine/miner_state.hpp>
#include <logad/parse/record_assembler.hpp>
#include <logad/io/paths.hpp>
#include <logad/present/input_files.hpp>
#include <logad/present/live_text.hpp>
#include <logad/util/parallel.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <iostream>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>


namespace logad::cli {
namespace {

class EventWriter final : public Sink<Event> {
public:
    explicit EventWriter(io::OutputBuffer& out) : m_out(out) {}
    void set_file(std::string file) { m_file = std::move(file); }
    void push(Event& event) override {
        append_event_json(m_out.buffer(), event, m_file);
        m_out.commit();
    }

private:
    io::OutputBuffer& m_out;
    std::string m_file;
};

}  // namespace

mine::MinerOptions miner_options(const ParseOptions& options) {
    mine::MinerOptions m;
    for (const std::string& spec : options.masks) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
            throw UsageError(fmt::format("--mask '{}' must be NAME=RE2, e.g. --mask 'order=ORD-\\d+'", spec));
        m.masks.push_back({spec.substr(0, eq), spec.substr(eq + 1)});
    }
    return m;
}

void add_parse_options(CLI::App& cmd, ParseOptions& o) {
    cmd.add_option("--format,-f", o.format.format,
                   "auto (default; also unwraps aws logs tail / filter-log-events, Elasticsearch hits, gcloud "
                   "logging JSON, Docker json-file, kubectl logs with pod prefixes, journalctl -o json), json, logfmt, "
                   "syslog, clf, cri, raw, or a header format string such as '<Date> <Time> <Level> <Component>: <Content>'")
        ->capture_default_str();
    cmd.add_option("--regex", o.format.regex,
                   "RE2 pattern with named groups (?P<message>...), (?P<ts>...), (?P<level>...); overrides --format");
    cmd.add_option("--tz", o.format.tz,
                   "time zone of timestamps written without an offset: an IANA name (Europe/Berlin) or an offset "
                   "(+02:00); default UTC. A model keeps it for score");
    cmd.add_flag("!--no-multiline", o.multiline,
                 "treat lines that do not match the format as records of their own, not continuations");
    cmd.add_option("--mask", o.masks, "extra variable mask NAME=RE2, applied before the built-in ones (repeatable)");
    cmd.add_option("--max-line", o.max_line, "truncate longer lines to this many bytes (counted)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t(64), std::size_t(1) << 30));
}

RunFn register_parse(CLI::App& root) {
    auto options = std::make_shared<ParseOptions>();
    CLI::App* cmd = root.add_subcommand("parse", "Raw log lines -> structured events with templates (NDJSON)");
    cmd->footer(
        "Examples:\n"
        "  logad parse app.log | head\n"
        "  logad parse --format '<Date> <Time> <Pid> <Level> <Component>: <Content>' HDFS.log\n"
        "  tail -F /var/log/syslog | logad parse --state syslog.state\n"
        "  aws logs filter-log-events --log-group-name /ecs/api | logad parse   # one record per event\n"
        "  logad parse --listen-syslog udp://127.0.0.1:5514 --format syslog\n"
        "Output fields: logad (\"event\"), line, lines, file, ts, level, message, template_id, template, params, "
        "param_kinds, fields (see logad-parse(1)).");
    cmd->add_option("files", options->files, "log files to read in order (default: stdin; - is stdin; .gz ok)");
    add_parse_options(*cmd, *options);
    cmd->add_option("--state", options->state_path,
                    "miner state file: loaded if it exists, saved atomically at exit, so template ids persist");
    cmd->add_flag("--quiet,-q", options->quiet, "no summary line on stderr");
    cmd->add_option("--threads", options->threads,
                    "threads for regular files and archives (default 0: the cores this process may use); "
                    "the output is the same. Stdin from a pipe or terminal and network input are read line by line")
        ->check(CLI::Range(0, 1024));
    cmd->add_option("--block-lines", options->block_lines, "lines per block with --threads (for tests)")
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 24))
        ->group("");  // hidden
    add_receiver_options(*cmd, options->receive);
    return [options](std::istream& in, std::ostream& out, std::ostream& err) {
        return run_parse(*options, in, out, err);
    };
}

int run_parse(const ParseOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
    const auto format = parse::make_format(options.format);
    mine::TemplateMiner miner = mine::load_or_create_miner(options.state_path, miner_options(options));

    io::OutputBuffer output(out);
    EventWriter writer(output);
    analyze::MiningStage mining(miner, writer);
    parse::RecordAssembler assembler(*format, mining, options.multiline);

    std::optional<live::Receivers> receivers;  // network input in place of files, until SIGINT/SIGTERM
    if (options.receive.used()) {
        if (!options.files.empty()) throw UsageError("--listen-syslog and --listen-otlp are the input: give no files with them");
        receivers.emplace(receiver_settings(options.receive, options.max_line));
        if (!options.quiet) present::print_receiving(*receivers, "parse", err);
    }
    const std::vector<std::string> files = receivers ? std::vector<std::string>{receivers->name()}
                                                     : present::input_files(options.files, "parse", err);  // a directory: its files, oldest first
    const int threads = receivers ? 1 : options.threads > 0 ? options.threads : util::available_cores();
    std::optional<analyze::ThreadedParser> threaded;  // made at the first input it reads
    std::uint64_t truncated = 0;
    for (const std::string& file : files) {
        auto source = receivers ? receivers->source() : analyze::open_log_input(file, in, options.format);
        io::LineReader reader(*source, options.max_line);
        if (threads > 1 && analyze::whole_file_input(file, in)) {
            if (!threaded) {
                analyze::ThreadedParseOptions t;
                t.threads = threads;
                t.block_lines = options.block_lines;
                t.multiline = options.multiline;
                threaded.emplace(options.format, miner, output, t);
            }
            threaded->parse_input(reader, files.size() > 1 ? file : std::string());
            truncated += reader.truncated();
            continue;
        }
        // A live stream paused: what we hold is complete as far as anyone can tell.
        reader.set_idle_hook([&] {
            assembler.release();
            output.flush();
        });
        if (files.size() > 1) writer.set_file(file);
        std::string_view line;
        while (reader.next(line)) assembler.push_line(line, reader.line_number());
        assembler.release();  // records never span files
        truncated += reader.truncated();
    }
    assembler.finish();
    output.flush();
    if (!options.state_path.empty()) mine::save_miner(options.state_path, miner);

    if (receivers) receivers->stop();
    if (!options.quiet) {
        if (receivers) present::print_receiver_summary(*receivers, "parse", err);
        parse::ParseStats s = assembler.stats();
        if (threaded) s += threaded->stats();
        fmt::print(err,
                   "logad parse: {} lines, {} records, {} continuation lines, {} unparsed, {} truncated, "
                   "{} empty; {} templates\n",
                   s.lines, s.records, s.continuation_lines, s.unparsed, truncated, s.empty, miner.size());
    }
    if (const std::uint64_t evicted = miner.stats().evicted; evicted > 0)  // memory stays bounded: say what it cost
        fmt::print(err, "logad parse: warning: {} least recently used templates evicted to keep the templates within their count and memory caps; "
                        "their messages, if seen again, get new templates\n", evicted);
    return k_exit_ok;
}

}  // namespace logad::cli
