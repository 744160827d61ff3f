// `logad score`: what it reads depends on the model.
//   A pipeline model (trained on logs): raw logs or events -> score records (see score_record.hpp).
//   A plain detector (trained on a table): numeric table -> NDJSON, one object per row:
//     {"row": 12, "score": 0.71, "threshold": 0.64, "anomaly": true}
//   `row` counts data rows from 1 (a CSV header is not a row). Only anomalous rows unless --all.
// Rows are read and scored in blocks, so memory stays flat on long inputs (analyze/score_table.hpp).
#include "cmd_score.hpp"

#include "commands.hpp"
#include "log_pipeline.hpp"

#include <logad/analyze/score_table.hpp>
#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/output.hpp>
#include <logad/model/model_file.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/present/live_text.hpp>
#include <logad/present/score_run.hpp>
#include <logad/present/terminal.hpp>
#include <logad/util/duration.hpp>
#include <logad/util/versioned_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include <sys/stat.h>
#include <nlohmann/json.hpp>

namespace logad::cli {
namespace {

// Input from a pipe, FIFO or terminal on stdin is live: event times can be held against the clock.
bool reads_live_stdin(const std::vector<std::string>& files, std::istream& in) {
    if (&in != &std::cin || std::find(files.begin(), files.end(), "-") == files.end()) return false;
    struct stat st {};
    return ::fstat(0, &st) == 0 && !S_ISREG(st.st_mode);
}

}  // namespace

RunFn register_score(CLI::App& root) {
    auto o = std::make_shared<ScoreOptions>();
    CLI::App* cmd = root.add_subcommand("score", "Score logs (or a numeric table) with a trained model; NDJSON out");
    cmd->footer(
        "Examples:\n"
        "  tail -F app.log | logad score -m model.json       # alerts as lines arrive\n"
        "  logad score -m model.json --fail-on-anomaly app.log.1 app.log.2.gz\n"
        "  logad score -m table-model.json --all features.csv | head\n"
        "  logad score -m model.json --listen-syslog tcp://127.0.0.1:5514 --listen-otlp http://127.0.0.1:4318\n"
        "Logs give incidents: anomaly records of one template (else key, else detector) within\n"
        "--incident-gap, each written when it opens and when it closes ({\"per\": \"incident\", \"state\":\n"
        "\"open\"|\"closed\", kind, detectors, lines, records, reasons, examples...}). --records adds every\n"
        "anomaly record: score, threshold, per, detector, line or key or start/end and reasons in words.\n"
        "--output ecs writes them as ECS alert documents (event.kind alert, rule.name, message...;\n"
        "docs/ecs-output.schema.json), --output ecs-bulk as an Elasticsearch _bulk body.\n"
        "Tables give {\"row\": N, \"score\": S, ...}.\n"
        "Parse and featurize settings come from the model.");
    cmd->add_option("files", o->files, "logs, events or a table to score (default: stdin; .gz ok)");
    cmd->add_option("--model,-m", o->model, "model file written by logad train")->required();
    cmd->add_flag("--all", o->all, "write every row, not only anomalies (implies --records)");
    cmd->add_flag("--records", o->records, "also write every anomaly record, not only the incidents they roll up into");
    cmd->add_option("--output", o->output,
                    "what stdout holds: ndjson (logad's records), ecs (Elastic Common Schema alerts, one per line, "
                    "for Filebeat, Logstash or _bulk), ecs-bulk (the same as an Elasticsearch _bulk body)")
        ->capture_default_str()
        ->check(CLI::IsMember({"ndjson", "ecs", "ecs-bulk"}));
    cmd->add_option("--incident-gap", o->incident_gap,
                    "an incident closes after this much event time without a record of its own (records without "
                    "time: a thousand lines per minute of it)")
        ->capture_default_str();
    cmd->add_flag("--fail-on-anomaly", o->fail_on_anomaly, "exit with 1 when any row is anomalous");
    cmd->add_option("--threads", o->threads,
                    "threads: logs in regular files and archives are read, parsed and scored in blocks on N threads "
                    "and a table's rows are scored on N (default 0: the cores this process may use), with the same "
                    "output. Pipes, FIFOs, --follow and receivers are read line by line")
        ->check(CLI::Range(0, 1024));
    cmd->add_option("--block-lines", o->block_lines, "lines per block with --threads on logs (for tests)")
        ->check(CLI::Range(std::size_t(1), std::size_t(1) << 24))
        ->group("");  // hidden
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    cmd->add_flag("--follow,-F", o->follow,
                  "keep reading the one FILE or FIFO like tail -F: across writers closing a FIFO, appends, "
                  "truncation and rotation, until SIGINT/SIGTERM");
    cmd->add_option("--clock-horizon", o->clock_horizon,
                    "a record more than this ahead of the stream's time (or, live, a day ahead of the clock) is "
                    "placed at the stream's time and counted; 0 = off")
        ->capture_default_str();
    cmd->add_option("--reorder-tolerance", o->reorder_tolerance,
                    "windows and sessions take records in time order when they are at most this much out of order "
                    "(line alerts do not wait); a lone record further ahead is placed at the stream's time. "
                    "Default: the model's (train's --reorder-tolerance, 10s); 0 = off");
    cmd->add_flag("--summary", o->summary, "the summary for people (top templates, anomalies over time) also when stderr is not a terminal");
    add_ops_options(*cmd, o->ops);
    add_kafka_options(*cmd, o->kafka);
    add_receiver_options(*cmd, o->receive);
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_score(*o, in, out, err); };
}

int run_score(const ScoreOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    const std::int64_t reorder_ms = o.reorder_tolerance.empty() ? -1 : parse_reorder_tolerance(o.reorder_tolerance);
    const auto doc = util::load_versioned(o.model, util::k_model_file);
    const std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
    if (pipeline::PipelineModel::is_pipeline(doc)) {
        auto pipeline = pipeline::PipelineModel::from_json(doc.at("pipeline"), o.model);
        // A model trained on too little (one line) has no detector at all: scoring with it would
        // print "0 rows scored" and look like a clean run.
        if (pipeline.parts.empty())
            throw InputError(fmt::format("{} has no detector: its training input gave fewer than 2 rows of every kind "
                                         "(lines, windows, sessions); retrain on more normal logs",
                                         o.model));
        pipeline.feedback = pipeline::Feedback::from_document(doc, o.model);  // verdicts, honoured at once
        present::LogScoreRequest r;
        r.files = files;
        r.all = o.all;
        r.records = o.records;
        r.output = parse_score_output(o.output);
        if (r.output != ScoreOutput::ndjson && o.all)
            throw UsageError("--all writes rows that are not anomalies, and ECS output holds alerts: use --records, "
                             "or --output ndjson with --all");
        r.incidents.gap_ms = util::parse_duration_ms(o.incident_gap, "--incident-gap");
        if (r.incidents.gap_ms <= 0) throw UsageError("--incident-gap must be positive, e.g. 5m");
        r.incidents.gap_lines = static_cast<std::uint64_t>(std::max<std::int64_t>(1, r.incidents.gap_ms / 60));
        r.threads = o.threads;
        r.read_threads = o.threads;
        r.block_lines = o.block_lines;
        r.quiet = o.quiet;
        r.follow = o.follow;
        r.model_path = o.model;
        if (o.follow && (files.size() != 1 || files.front() == "-"))
            throw UsageError("--follow reads one named file or FIFO (stdin cannot be reopened); give exactly one path");
        r.horizon.stream_ms = o.clock_horizon == "0" ? 0 : util::parse_duration_ms(o.clock_horizon, "--clock-horizon");
        r.reorder_ms = reorder_ms;
        r.horizon.live = o.follow || o.kafka.used() || o.receive.used() || reads_live_stdin(files, in);
        const bool watched = &err == &std::cerr;  // not a test's string stream
        r.progress = !o.quiet && watched && !o.kafka.used() && !o.receive.used() && present::progress_allowed(true);
        r.summary = o.summary || (watched && present::is_terminal(2));
        if (o.receive.used() && (!o.files.empty() || o.follow || o.kafka.used()))
            throw UsageError("--listen-syslog and --listen-otlp are the input: give no files, --follow or Kafka flags with them");
        const auto monitor = present::start_monitor(monitor_settings(o.ops), pipeline, o.quiet, err);  // metrics, alerts
        r.observer = monitor.get();
        const auto exit_code = [&](const present::LogScoreResult& result) {
            return o.fail_on_anomaly && result.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
        };
        if (o.receive.used()) {
            live::Receivers receivers(receiver_settings(o.receive, pipeline.parse.max_line));
            if (!o.quiet) present::print_receiving(receivers, "score", err);
            if (monitor) receivers.add_metrics(monitor->monitor().registry());
            r.files = {receivers.name()};
            const auto result = present::score_logs(pipeline, r, in, out, err, receivers.source());
            receivers.stop();
            if (!o.quiet) present::print_receiver_summary(receivers, "score", err);
            return exit_code(result);
        }
        if (o.kafka.used()) {
            live::KafkaLink link(kafka_settings(o.kafka, o.files), present::kafka_log_printer(err));
            if (auto* publisher = link.publisher()) r.also.push_back(publisher);
            r.files = o.kafka.topic.empty() ? o.files : std::vector<std::string>{o.kafka.topic};
            const auto result = present::score_logs(pipeline, r, in, out, err, link.topic());
            link.scored();  // everything handed to score_logs is scored and written: commit it
            if (!o.quiet) present::print_kafka_summary(link, err);
            return exit_code(result);
        }
        return exit_code(present::score_logs(pipeline, r, in, out, err));
    }
    if (o.kafka.used()) throw UsageError("Kafka input and output need a model trained on logs, not on a table");
    if (o.output != "ndjson") throw UsageError("--output " + o.output + " writes alerts about logs; a model trained on a table writes ndjson");
    if (o.receive.used()) throw UsageError("--listen-syslog and --listen-otlp need a model trained on logs, not on a table");
    if (o.ops.used()) throw UsageError("metrics and alerts need a model trained on logs, not on a table");
    if (files.size() > 1) throw UsageError("this model scores one numeric table; give a single file");
    const std::string& file = files.front();
    const model::ModelFile m = model::model_from_json(doc, o.model);
    auto source = io::open_input(file, in);
    io::OutputBuffer output(out);
    analyze::TableScoreRequest request;
    request.name = file == "-" ? "stdin" : file;
    request.block_rows = o.block_rows;
    request.threads = o.threads;
    request.all = o.all;
    const analyze::TableScoreRun run = analyze::score_table(m, *source, request, output);
    if (!o.quiet) {
        const double secs = run.scoring_seconds;
        fmt::print(err, "logad score: {} rows, {} anomalous (threshold {:.6g}, {}); scored in {:.4f} s ({:.0f} rows/s)\n",
                   run.rows, run.anomalies, m.threshold, m.rule.to_string(), secs,
                   secs > 0 ? static_cast<double>(run.rows) / secs : 0.0);
    }
    return o.fail_on_anomaly && run.anomalies > 0 ? k_exit_anomalies : k_exit_ok;
}

}  // namespace logad::cli
