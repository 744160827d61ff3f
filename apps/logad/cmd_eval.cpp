// `logad eval`: score records + labels -> precision, recall, F1, ROC-AUC, PR-AUC.
//
// Labels (CSV, first two columns: id, label; a header row is recognised when its second cell
// is not a label value):
//   session labels  `BlockId,Label` (HDFS): items are session ids, matched to records' `key`.
//   line labels     `line,label`: items are input lines (first column named line/lineno/row,
//                   or a number), matched to records' `line`, or `row` for table records.
//   Label values: Anomaly/Abnormal/1/true/yes or Normal/0/false/no (any case). Every row of the
//   labels file is one item; an item listed twice is anomalous when either row says so.
//
// Records: NDJSON from `logad score` (`--all` gives ranking metrics their normal rows), or the
// table-mode `{"row": N, "score": S, "threshold": T, "anomaly": B}` records.
//   Which records count (--per): by default the granularity of the labels, so line labels use
//   per-line records (and table rows), session labels per-session records. `--per window` or
//   `--per all` lets a window or session record count for every labelled line in its
//   first_line..last_line (with session labels, for the session named by its `key`).
//   An item's prediction is "anomalous" when any record that counts for it is; its score is the
//   highest margin `score - threshold` among them (so detectors and signals share one scale, and
//   margin > 0 exactly when a record is an anomaly). An item with no record counts as scored
//   normal with the lowest possible score (-inf): `logad score` without --all writes only
//   anomalies, and the ones it did not write were normal.
// The best-F1 threshold is printed for information only: it is chosen on the labels evaluated.
#include "cmd_eval.hpp"

#include "commands.hpp"

#include <logad/error.hpp>
#include <logad/io/input.hpp>
#include <logad/io/line_reader.hpp>
#include <logad/model/metrics.hpp>
#include <logad/util/json_depth.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace logad::cli {
namespace {

constexpr double k_lowest = -std::numeric_limits<double>::infinity();

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim_cell(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> split_csv(std::string_view line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i)
        if (i == line.size() || line[i] == ',') {
            cells.push_back(trim_cell(line.substr(start, i - start)));
            start = i + 1;
        }
    return cells;
}

std::optional<bool> parse_label(const std::string& cell) {
    const std::string v = lower(cell);
    if (v == "anomaly" || v == "anomalous" || v == "abnormal" || v == "1" || v == "true" || v == "yes") return true;
    if (v == "normal" || v == "0" || v == "false" || v == "no") return false;
    return std::nullopt;
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Labels {
    bool by_line = false;
    std::vector<std::string> keys;        // session ids, or line numbers as text
    std::vector<std::uint64_t> lines;     // line items, ascending
    std::vector<bool> truth;              // per item, in the order of keys / lines
};

Labels read_labels(const std::string& path, std::istream& in) {
    auto source = io::open_input(path, in);
    io::LineReader reader(*source);
    std::map<std::uint64_t, bool> by_line;
    std::unordered_map<std::string, std::size_t> index;
    Labels labels;
    bool first = true;
    std::string_view line;
    while (reader.next(line)) {
        if (trim_cell(line).empty()) continue;
        const auto cells = split_csv(line);
        const std::uint64_t at = reader.line_number();
        const auto label = cells.size() >= 2 ? parse_label(cells[1]) : std::nullopt;
        if (first) {
            first = false;
            const std::string head = lower(cells[0]);
            if (!label) {  // a header row
                labels.by_line = head == "line" || head == "lineno" || head == "line_number" || head == "lineid" || head == "row";
                continue;
            }
            labels.by_line = all_digits(cells[0]);
        }
        if (!label)
            throw InputError(fmt::format("{}:{}: expected `id,label` with a label Anomaly/Normal or 1/0, got '{}'", path, at,
                                         std::string(line)));
        if (labels.by_line) {
            if (!all_digits(cells[0]))
                throw InputError(fmt::format("{}:{}: '{}' is not a line number (line labels are `line,label`)", path, at, cells[0]));
            auto [it, added] = by_line.emplace(std::stoull(cells[0]), *label);
            if (!added) it->second = it->second || *label;
        } else {
            auto [it, added] = index.emplace(cells[0], labels.keys.size());
            if (added) {
                labels.keys.push_back(cells[0]);
                labels.truth.push_back(*label);
            } else if (*label) {
                labels.truth[it->second] = true;
            }
        }
    }
    if (labels.by_line)
        for (const auto& [l, t] : by_line) {
            labels.lines.push_back(l);
            labels.truth.push_back(t);
        }
    if (labels.truth.empty()) throw InputError(fmt::format("{} holds no labels; expected rows like `blk_1,Anomaly` or `12,1`", path));
    return labels;
}

struct Item {
    double margin = k_lowest;
    bool predicted = false;
    bool seen = false;
};

struct Tally {
    std::uint64_t records = 0, used = 0, unmatched = 0, filtered = 0, incidents = 0;
    std::optional<double> threshold;  // the one threshold every used record had, if any
    bool mixed_thresholds = false;
};

std::string where(const std::string& file, std::uint64_t line) { return fmt::format("{}:{}", file == "-" ? "stdin" : file, line); }

double number(const nlohmann::json& r, const char* name, const std::string& at) {
    const auto it = r.find(name);
    if (it == r.end() || !it->is_number())
        throw InputError(fmt::format("{}: a score record needs a numeric \"{}\" (is this output of logad score?)", at, name));
    return it->get<double>();
}

std::string fmt_metric(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.4f}", v); }

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

RunFn register_eval(CLI::App& root) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = root.add_subcommand("eval", "Precision, recall, F1, ROC-AUC and PR-AUC of score records against labels");
    cmd->footer(
        "Examples:\n"
        "  logad score -m m.json --all test.log | logad eval --labels anomaly_label.csv   # BlockId,Label\n"
        "  logad eval --labels lines.csv --per all --json scores.ndjson                   # line,label\n"
        "Session labels match records' key; line labels match records' line (or row). By default\n"
        "only records of the labels' granularity count; --per window|session|all lets a record\n"
        "count for every labelled line in its first_line..last_line. An item's score is its highest\n"
        "score - threshold; an item with no record is normal with the lowest score. The best-F1\n"
        "threshold is for information only (chosen on these labels).");
    cmd->add_option("files", o->files, "score records, NDJSON from logad score (default: stdin)");
    cmd->add_option("--labels,-l", o->labels, "label CSV: `BlockId,Label` (sessions) or `line,label` (lines)")->required();
    cmd->add_option("--per", o->per, "records that count: line|window|session|all (default: as the labels)")
        ->check(CLI::IsMember({"line", "window", "session", "all"}));
    cmd->add_option("--detector", o->detector, "only records of this detector (e.g. iforest, signal:burst)");
    cmd->add_flag("--json", o->json, "one JSON object instead of text");
    return [o](std::istream& in, std::ostream& out, std::ostream& err) { return run_eval(*o, in, out, err); };
}

int run_eval(const EvalOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
    const Labels labels = read_labels(o.labels, in);
    const std::string per = o.per.empty() ? (labels.by_line ? "line" : "session") : o.per;
    std::vector<Item> items(labels.truth.size());
    std::unordered_map<std::string, std::size_t> key_index;
    if (!labels.by_line)
        for (std::size_t i = 0; i < labels.keys.size(); ++i) key_index.emplace(labels.keys[i], i);

    Tally tally;
    auto apply = [&](Item& item, double margin, bool anomaly) {
        item.seen = true;
        item.margin = std::max(item.margin, margin);
        item.predicted = item.predicted || anomaly;
    };
    // Gives a record to every labelled line in [first, last]; false when none was labelled.
    auto apply_lines = [&](std::uint64_t first, std::uint64_t last, double margin, bool anomaly) {
        auto it = std::lower_bound(labels.lines.begin(), labels.lines.end(), first);
        bool any = false;
        for (; it != labels.lines.end() && *it <= last; ++it) {
            apply(items[static_cast<std::size_t>(it - labels.lines.begin())], margin, anomaly);
            any = true;
        }
        return any;
    };

    const std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
    for (const std::string& file : files) {
        auto source = io::open_input(file, in);
        io::LineReader reader(*source);
        std::string_view text;
        while (reader.next(text)) {
            if (trim_cell(text).empty()) continue;
            const std::string at = where(file, reader.line_number());
            nlohmann::json r = util::json_too_deep(text) ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false);
            if (!r.is_object()) throw InputError(fmt::format("{}: not a JSON object; eval reads the NDJSON of logad score", at));
            if (r.value("per", std::string()) == "incident") {  // a roll-up of records that come beside it with --records
                ++tally.incidents;
                continue;
            }
            ++tally.records;
            const double score = number(r, "score", at);
            const double threshold = r.contains("threshold") ? number(r, "threshold", at) : 0.0;
            const bool anomaly = r.contains("anomaly") && r["anomaly"].is_boolean() ? r["anomaly"].get<bool>() : score > threshold;
            const bool table = r.contains("row");
            const std::string rec_per = table ? "line" : r.value("per", std::string("line"));
            const std::string detector = table ? "table" : r.value("detector", std::string());
            if ((per != "all" && rec_per != per) || (!o.detector.empty() && detector != o.detector)) {
                ++tally.filtered;
                continue;
            }
            const double margin = score - threshold;
            bool matched = false;
            if (labels.by_line) {
                if (table) {
                    const auto row = static_cast<std::uint64_t>(number(r, "row", at));
                    matched = apply_lines(row, row, margin, anomaly);
                } else if (rec_per == "line" && r.contains("line")) {
                    const auto l = static_cast<std::uint64_t>(number(r, "line", at));
                    matched = apply_lines(l, l, margin, anomaly);
                } else if (r.contains("first_line")) {
                    const auto first = static_cast<std::uint64_t>(number(r, "first_line", at));
                    const auto last = r.contains("last_line") ? static_cast<std::uint64_t>(number(r, "last_line", at)) : first;
                    matched = apply_lines(first, std::max(first, last), margin, anomaly);
                }
            } else if (r.contains("key") && r["key"].is_string()) {
                const auto it = key_index.find(r["key"].get<std::string>());
                if (it != key_index.end()) {
                    apply(items[it->second], margin, anomaly);
                    matched = true;
                }
            }
            if (!matched) {
                ++tally.unmatched;
                continue;
            }
            ++tally.used;
            if (!tally.threshold) tally.threshold = threshold;
            else if (*tally.threshold != threshold) tally.mixed_thresholds = true;
        }
    }

    if (tally.records == 0 && tally.incidents > 0)
        throw InputError(fmt::format("only incident records in the input ({}); eval counts the records they roll up: "
                                     "score with --records (or --all)",
                                     tally.incidents));

    std::vector<double> scores;
    std::vector<bool> predicted;
    std::size_t unseen = 0, positives = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        scores.push_back(items[i].margin);
        predicted.push_back(items[i].predicted);
        unseen += !items[i].seen;
        positives += labels.truth[i];
    }
    const model::Confusion c = model::confusion(labels.truth, predicted);
    const double auc = model::roc_auc(scores, labels.truth);
    const double ap = model::average_precision(scores, labels.truth);
    const model::BestF1 best = model::best_f1(scores, labels.truth);
    // In raw score units when every record had one threshold (one detector), else as a margin.
    const bool raw = tally.threshold && !tally.mixed_thresholds;
    const double best_threshold = raw ? best.threshold + *tally.threshold : best.threshold;

    if (o.json) {
        nlohmann::json j = {
            {"labels", labels.by_line ? "line" : "session"},
            {"per", per},
            {"items", items.size()},
            {"anomalous", positives},
            {"records", tally.records},
            {"records_used", tally.used},
            {"records_unmatched", tally.unmatched},
            {"records_filtered", tally.filtered},
            {"items_without_record", unseen},
            {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}, {"tn", c.tn},
            {"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()},
            {"roc_auc", json_number(auc)}, {"pr_auc", json_number(ap)},
            {"best_f1", {{"f1", best.f1}, {"precision", best.precision}, {"recall", best.recall},
                         {"threshold", json_number(best_threshold)}, {"threshold_is", raw ? "score" : "score - threshold"}}},
        };
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
        fmt::print(out, "items       {} {} ({} anomalous), records of per {}: {} used, {} matching no item\n", items.size(),
                   labels.by_line ? "lines" : "sessions", positives, per, tally.used, tally.unmatched);
        fmt::print(out, "            {} items had no record and count as normal with the lowest score\n", unseen);
        fmt::print(out, "counts      tp {}  fp {}  fn {}  tn {}\n", c.tp, c.fp, c.fn, c.tn);
        fmt::print(out, "precision   {:.4f}\nrecall      {:.4f}\nF1          {:.4f}\n", c.precision(), c.recall(), c.f1());
        fmt::print(out, "ROC-AUC     {}\nPR-AUC      {}\n", fmt_metric(auc), fmt_metric(ap));
        if (positives > 0 && positives < items.size())
            fmt::print(out, "best F1     {:.4f} (precision {:.4f}, recall {:.4f}) at {} >= {:.6g}, for information only\n", best.f1,
                       best.precision, best.recall, raw ? "score" : "score - threshold", best_threshold);
    }
    if (tally.records == 0)
        fmt::print(err, "logad eval: warning: no score records read; every item counts as normal\n");
    else if (tally.used == 0)
        fmt::print(err, "logad eval: warning: none of {} records matched a labelled item (per {}; try --per all)\n",
                   tally.records, per);
    return k_exit_ok;
}

}  // namespace logad::cli
