// `logad feedback -m MODEL --normal TARGET... --anomaly TARGET...`
//
// A TARGET is read as, in this order:
//   digits          a template id, as in a score record's "template_id"
//   {...}           one score record as `logad score` prints it (NDJSON line)
//   -               standard input, read as a FILE
//   an existing file   one target per non-blank line: a template id, a score record, or a raw
//                   log line (so `logad score ... | grep ... > fp.ndjson` or a file of log
//                   lines both work)
//   anything else   one raw log line, parsed with the model's format and matched to its template
// A raw log line names the template the scorer would give it: it is mined into a copy of the
// model's miner, in order, as scoring does (a template never seen gets the same stable id).
// A score record names its template when it has one; otherwise (windows, sessions, silence...)
// each of its reasons, numbers masked (--by chooses).
#include "cmd_feedback.hpp"

#include "cmd_train.hpp"
#include "commands.hpp"
#include "input_files.hpp"
#include "log_pipeline.hpp"
#include "miner_state.hpp"
#include "progress.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/parse/line_format.hpp>
#include <logad/pipeline/feedback.hpp>
#include <logad/pipeline/pipeline_model.hpp>
#include <logad/util/atomic_file.hpp>
#include <logad/util/civil_time.hpp>
#include <logad/util/file_lock.hpp>
#include <logad/util/versioned_file.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

namespace logad::cli {
namespace {

constexpr util::FileKind k_model_kind{"logad-model", 1, 1};
namespace fs = std::filesystem;

bool is_template_id(std::string_view s) {
    return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// Turns targets into verdicts for one model.
class Resolver {
public:
    Resolver(const pipeline::PipelineModel& model, std::string by)
        : m_miner(mine::TemplateMiner::from_json(model.miner->to_json())), m_format(parse::make_format(model.parse.format)),
          m_by(std::move(by)) {}

    void resolve(const std::string& target, std::istream& in) {
        if (is_template_id(target)) return add_template(static_cast<std::uint32_t>(std::stoull(target)), "template " + target);
        if (!target.empty() && target.front() == '{') return add_record(target);
        if (target == "-" || fs::is_regular_file(target)) return read_file(target, in);
        add_line(target);
    }

    struct Target {
        std::uint32_t template_id = 0;
        std::string reason, note;
    };
    std::vector<Target> targets;

private:
    void read_file(const std::string& path, std::istream& in) {
        auto source = io::open_input(path, in);
        io::LineReader reader(*source);
        std::string_view line;
        std::size_t before = targets.size();
        while (reader.next(line)) {
            const auto first = line.find_first_not_of(" \t\r");
            if (first == std::string_view::npos) continue;
            const std::string text(line.substr(first));
            if (is_template_id(text))
                add_template(static_cast<std::uint32_t>(std::stoull(text)), "template " + text);
            else if (text.front() == '{')
                add_record(text);
            else
                add_line(std::string(line));
        }
        if (targets.size() == before) throw InputError(fmt::format("{} names nothing to give a verdict on", path == "-" ? "stdin" : path));
    }

    void add_template(std::uint32_t id, std::string note) {
        if (id == 0) throw UsageError("template id 0 names no template; give the template_id of a score record");
        if (!m_templates.insert(id).second) return;
        targets.push_back({id, {}, std::move(note)});
    }

    void add_reason(const std::string& reason) {
        std::string pattern = pipeline::reason_pattern(reason);
        if (!m_reasons.insert(pattern).second) return;
        targets.push_back({0, pattern, "reason: " + reason});
    }

    void add_record(const std::string& text) {
        const pipeline::ScoreRecord r = pipeline::parse_score_record(text);
        const bool by_template = m_by == "template" || (m_by == "auto" && r.template_id != 0);
        if (by_template) {
            if (r.template_id == 0)
                throw UsageError(fmt::format("this {} record from {} names no template; use --by reason", r.per, r.detector));
            return add_template(r.template_id, r.template_text.empty() ? "template " + std::to_string(r.template_id)
                                                                        : "template `" + r.template_text + "`");
        }
        if (r.reasons.empty()) throw UsageError("this score record has no reasons to call normal; give its template_id");
        for (const std::string& reason : r.reasons) add_reason(reason);
    }

    void add_line(const std::string& line) {
        if (m_by == "reason") throw UsageError("a log line names a template, not a reason; drop --by reason");
        Event e;
        if (m_format->parse(line, e.record).kind != parse::LineResult::record)
            throw UsageError(fmt::format("'{}' is not a template id, a score record, a file, or a log line in the model's "
                                         "format ({})",
                                         line.substr(0, 80), m_format->name()));
        m_miner.learn(e);
        add_template(e.template_id, "template `" + e.template_text + "`");
    }

    mine::TemplateMiner m_miner;
    std::unique_ptr<parse::LineFormat> m_format;
    std::string m_by;
    std::set<std::uint32_t> m_templates;
    std::set<std::string> m_reasons;
};

std::string rfc3339(std::int64_t ms) {
    std::string s;
    util::append_rfc3339_ms(s, ms);
    return s;
}

nlohmann::json load_log_model(const std::string& path) {
    nlohmann::json doc = util::load_versioned(path, k_model_kind);
    if (!pipeline::PipelineModel::is_pipeline(doc))
        throw UsageError(fmt::format("{} was trained on a numeric table; feedback and --update need a model trained on logs", path));
    return doc;
}

// Every read-modify-write of a model holds its lock, so concurrent verdicts (and a verdict
// given while `train --update` runs) are all kept; a waiter says so and gives up after a minute.
std::unique_ptr<util::FileLock> lock_model(const std::string& path, const char* cmd, bool quiet, std::ostream& err) {
    return std::make_unique<util::FileLock>(path, std::chrono::seconds(60), [&] {
        if (!quiet) fmt::print(err, "logad {}: waiting for another logad to finish changing {}\n", cmd, path);
    });
}

}  // namespace

RunFn register_feedback(CLI::App& root) {
    auto o = std::make_shared<FeedbackOptions>();
    CLI::App* cmd = root.add_subcommand("feedback", "Record verdicts on results in the model; score honours them at once");
    cmd->footer(
        "TARGET: a template id, a score record (one NDJSON line of `logad score`), a log line, or a file\n"
        "(- for stdin) of any of these, one per line. A record names its template when it has one, else\n"
        "its reasons (numbers masked). The latest verdict on a target wins.\n"
        "Examples:\n"
        "  logad feedback -m model.json --normal 2774321090\n"
        "  logad score -m model.json app.log | grep HealthCheck | logad feedback -m model.json --normal -\n"
        "  logad feedback -m model.json --normal fp.ndjson --until 2026-12-31\n"
        "  logad feedback -m model.json --anomaly 'ERROR [main] Db: connection pool exhausted'\n"
        "  logad feedback -m model.json --list");
    cmd->add_option("--model,-m", o->model, "model file written by logad train (rewritten atomically)")->required();
    cmd->add_option("--normal", o->normal, "TARGET is normal: stop alerting on it (repeatable)");
    cmd->add_option("--anomaly", o->anomaly, "TARGET is a true anomaly: always alert on it (repeatable)");
    cmd->add_option("--by", o->by, "what a score record names: auto, template or reason")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "template", "reason"}));
    cmd->add_option("--until", o->until, "the verdicts lapse at this date (2026-12-31 or 2026-12-31T08:00:00Z)");
    cmd->add_option("--note", o->note, "a note kept with the verdicts (who, why)");
    cmd->add_flag("--list", o->list, "print the verdicts the model holds, one JSON object a line");
    cmd->add_flag("--quiet,-q", o->quiet, "no summary on stderr");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_feedback(*o, in, out, err); };
}

int run_feedback(const FeedbackOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    if (o.normal.empty() && o.anomaly.empty() && !o.list)
        throw UsageError("give --normal TARGET or --anomaly TARGET (or --list); see logad feedback --help");
    const std::int64_t until = o.until.empty() ? k_no_time : pipeline::parse_date_ms(o.until);
    const auto lock = o.normal.empty() && o.anomaly.empty() ? nullptr : lock_model(o.model, "feedback", o.quiet, err);
    nlohmann::json doc = load_log_model(o.model);
    pipeline::Feedback feedback = pipeline::Feedback::from_document(doc, o.model);

    if (!o.normal.empty() || !o.anomaly.empty()) {
        const auto model = pipeline::PipelineModel::from_json(doc.at("pipeline"), o.model);
        const std::int64_t now = util::wall_clock_ms();
        std::size_t added = 0;
        auto give = [&](const std::vector<std::string>& targets, pipeline::Verdict verdict) {
            Resolver resolver(model, o.by);
            for (const std::string& t : targets) resolver.resolve(t, in);
            for (auto& t : resolver.targets) {
                pipeline::VerdictEntry v;
                v.verdict = verdict;
                v.template_id = t.template_id;
                v.reason = t.reason;
                v.until_ms = until;
                v.added_ms = now;
                v.note = o.note.empty() ? t.note : o.note + " (" + t.note + ")";
                if (!o.quiet)
                    fmt::print(err, "logad feedback: {} {}{}\n", verdict == pipeline::Verdict::normal ? "normal " : "anomaly",
                               t.note, until == k_no_time ? "" : " until " + rfc3339(until));
                feedback.add(std::move(v));
                ++added;
            }
        };
        give(o.normal, pipeline::Verdict::normal);
        give(o.anomaly, pipeline::Verdict::anomaly);
        doc["feedback"] = feedback.to_json();
        util::save_versioned(o.model, k_model_kind, std::move(doc));
        if (!o.quiet)
            fmt::print(err, "logad feedback: {} verdicts recorded, {} held in {}\n", added, feedback.verdicts.size(), o.model);
    }
    if (o.list) {
        const nlohmann::json held = feedback.to_json();
        for (const auto& v : held.at("verdicts"))
            fmt::print(out, "{}\n", v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return k_exit_ok;
}

int update_model(const UpdateRequest& r, std::istream& in, std::ostream& err) {
    const auto t0 = std::chrono::steady_clock::now();
    const nlohmann::json doc = load_log_model(r.model);
    auto old = pipeline::PipelineModel::from_json(doc.at("pipeline"), r.model);
    old.feedback = pipeline::Feedback::from_document(doc, r.model);  // kept by the update
    const std::string output = r.output.empty() ? r.model : r.output;
    // Files an update of an older logad left behind when killed (it wrote a miner state and a model
    // beside the output, named with its pid): removed when that process is gone.
    util::sweep_stale_temp_files(fs::path(output).parent_path(), fs::path(output).filename().string() + ".update-");

    // The new logs are read as the model reads logs, and mined by the model's miner continued.
    ParseOptions files;
    files.files = input_files(r.files, "train", err);
    mine::TemplateMiner miner = mine::TemplateMiner::from_json(old.miner->to_json());
    Progress progress("train", files.files, err, false);
    TrainingInput input = read_training_input(files.files, io::InputClaim::logs, old.parse, miner, in, progress);

    // Logs of another kind would teach the model that anything is normal: refuse them.
    std::set<std::uint32_t> fresh;
    for (const Event& e : input.events) {
        if (old.space.knows(e.template_id)) continue;
        ++input.profile.unseen;
        fresh.insert(e.template_id);
    }
    const std::string inputs = files.files.size() == 1 ? (files.files[0] == "-" ? "stdin" : files.files[0]) : "the input";
    if (const std::string why = pipeline::misfit(old.fit_profile, input.profile, format_text(old.parse.format)); !why.empty())
        throw InputError(fmt::format("{} does not fit the model {}: {}; the model is unchanged. If this is another "
                                     "kind of log, train a new model on it: logad train -o NEW.json LOG",
                                     inputs, r.model, why));

    std::vector<pipeline::PartSummary> summary;
    pipeline::PipelineModel m = pipeline::PipelineModel::update(old, std::move(miner), input.events, r.threads, summary);
    input.profile.unseen = fresh.size();  // as training counts it: each new template once
    m.fit_profile.merge(input.profile);
    {
        // The verdicts as they are now, under the lock: any given while the update ran are kept
        // (and a verdict on a template the update merged names the survivor).
        const auto lock = lock_model(r.model, "train", r.quiet, err);
        std::unique_ptr<util::FileLock> output_lock;
        if (output != r.model) output_lock = lock_model(output, "train", r.quiet, err);
        if (fs::exists(r.model)) {
            m.feedback = pipeline::Feedback::from_document(load_log_model(r.model), r.model);
            m.feedback.retarget([&](std::uint32_t id) { return m.miner->resolve(id); });
        }
        m.save(output);
    }
    if (!r.quiet) {
        fmt::print(err, "logad train: update with {} lines, {} records, {} new templates; refitted on them and {} "
                        "events of the model's training history{}\n",
                   input.lines, input.events.size(), fresh.size(), old.history.events(),
                   old.history.empty() ? " (none: the model predates it, so the detectors learn the new logs only)" : "");
        print_fit_summary(m, summary, output,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), err);
        fmt::print(err, "logad train: updated {} (templates, settings and {} feedback verdicts kept)\n", output,
                   m.feedback.verdicts.size());
    }
    return k_exit_ok;
}

}  // namespace logad::cli
